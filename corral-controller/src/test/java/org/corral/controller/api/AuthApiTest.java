package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.controller.api.RunningCorral.eventually;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.corral.controller.auth.LoginLimiter;
import org.corral.controller.auth.Permission;
import org.corral.controller.boot.AdminToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 21 over HTTP, on a real Corral: no route answers without a token (except those open by
 * design), a developer cannot reach another user's VMs, quotas hold under concurrent requests,
 * failed logins are limited and journaled, and secrets never come back.
 */
class AuthApiTest {
  @TempDir
  static Path home;
  static RunningCorral corral;
  static ApiClient admin;
  static ApiClient alice;
  static ApiClient bob;
  static ApiClient carol;
  static final List<String> secrets = new ArrayList<>();
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() {
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    corral = new RunningCorral(home);
    admin = corral.api;
    secrets.add(TestTokens.admin(home));
    // alice and bob share group team-a; carol is on her own.
    alice = user("alice", "team-a", "alice-password-1");
    bob = user("bob", "team-a", null);
    carol = user("carol", null, null);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    if (corral != null) {
      corral.close();
    }
  }

  /** Creates a developer and a token for them (as the admin); returns a client with that token. */
  static ApiClient user(String name, String group, String password) {
    String body = "{\"name\": \"" + name + "\", \"role\": \"developer\"" + (group == null ? "" : ", \"group\": \"" + group + "\"")
        + (password == null ? "" : ", \"password\": \"" + password + "\"") + "}";
    ApiClient.Reply created = admin.post("/api/v1/users", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text()).doesNotContain("argon2").doesNotContain(password == null ? "\u0000" : password);
    if (password != null) {
      secrets.add(password);
    }
    ApiClient.Reply token = admin.post("/api/v1/tokens", "{\"user\": \"" + name + "\", \"description\": \"test\"}");
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    String text = token.json().get("token").asText();
    secrets.add(text);
    return new ApiClient(corral.runtime.port(), text);
  }

  static String vm(String name) {
    return "{\"name\": \"" + name + "\", \"cpus\": 1, \"memoryMib\": 256, \"hold\": true}";
  }

  @Test
  void noRouteAnswersWithoutAValidToken() {
    int port = corral.runtime.port();
    try (ApiClient anonymous = new ApiClient(port, null);
        ApiClient forged = new ApiClient(port, "corral_0123456789ab_" + "A".repeat(43))) {
      List<String> open = new ArrayList<>();
      for (RequestGate.Route r : corral.runtime.api().routes()) {
        String path = r.path().replaceAll("\\{[^}]+}", "x").replaceAll("<[^>]+>", "x");
        for (ApiClient c : List.of(anonymous, forged)) {
          ApiClient.Reply reply = switch (r.method()) {
            case "GET" -> c.get(path);
            case "POST" -> c.post(path, "{}");
            case "PUT" -> c.put(path, "{}");
            default -> c.delete(path);
          };
          if (reply.status() != 401) {
            open.add(r.method() + " " + r.path() + " -> " + reply.status());
            continue;
          }
          assertThat(reply.header("WWW-Authenticate")).as(r.path()).startsWith("Bearer");
          assertThat(reply.json().get("type").asText()).endsWith("/unauthenticated");
        }
      }
      // Open by design: logging in, and /metrics for a client on this machine (api.metrics: loopback).
      // A forged token on /metrics is refused like anywhere else.
      assertThat(open).containsExactlyInAnyOrder("POST /api/v1/login -> 400", "POST /api/v1/login -> 400", "GET /metrics -> 200");
    }
  }

  @Test
  void everyRouteDeclaresAPermissionAndOnlyLoginIsOpen() {
    for (RequestGate.Route r : corral.runtime.api().routes()) {
      assertThat(r.permission() == Permission.LOGIN).as(r.method() + " " + r.path())
          .isEqualTo(r.path().equals(ApiServer.V1 + "/login"));
    }
  }

  @Test
  void aDeveloperSeesAndTouchesOnlyTheirOwnAndTheirGroupsVms() {
    assertThat(alice.post("/api/v1/vms", vm("alice-1")).status()).isEqualTo(201);
    assertThat(carol.post("/api/v1/vms", vm("carol-1")).status()).isEqualTo(201);
    assertThat(admin.get("/api/v1/vms/alice-1").json().get("owner").asText()).as("the token's user owns the VM").isEqualTo("alice");

    assertThat(names(carol.list("/api/v1/vms"))).containsExactly("carol-1");
    assertThat(names(bob.list("/api/v1/vms"))).as("bob shares alice's group").contains("alice-1").doesNotContain("carol-1");
    assertThat(names(admin.list("/api/v1/vms"))).contains("alice-1", "carol-1");
    assertThat(carol.list("/api/v1/vms?owner=alice")).isEmpty();

    // Another user's VM is not found, whatever the route: its name does not leak.
    assertThat(carol.get("/api/v1/vms/alice-1").status()).isEqualTo(404);
    assertThat(carol.post("/api/v1/vms/alice-1/release", "").status()).isEqualTo(404);
    assertThat(carol.post("/api/v1/vms/alice-1/stop", "{}").status()).isEqualTo(404);
    assertThat(carol.delete("/api/v1/vms/alice-1").status()).isEqualTo(404);
    assertThat(carol.list("/api/v1/events?subject=alice-1")).isEmpty();
    assertThat(carol.list("/api/v1/events?last=10000")).allSatisfy(e -> assertThat(e.get("subject").asText()).isEqualTo("carol-1"));
    assertThat(admin.get("/api/v1/vms/alice-1").json().get("state").asText()).as("nothing happened to it").isEqualTo("HOLD");

    // The group may; the owner may not migrate (an admin's call), nor act as someone else.
    assertThat(bob.get("/api/v1/vms/alice-1").status()).isEqualTo(200);
    assertThat(bob.list("/api/v1/events?subject=alice-1")).isNotEmpty();
    assertThat(alice.post("/api/v1/vms/alice-1/migrate", "{\"to\": \"t02\"}").status()).isEqualTo(403);
    ApiClient.Reply actAs = alice.send(HttpRequest.newBuilder(alice.uri("/api/v1/vms")).header("X-Corral-User", "carol").GET());
    assertThat(actAs.status()).isEqualTo(403);

    // Hosts, operations and users are for administrators: 403, and host credentials never reach a developer.
    for (String path : List.of("/api/v1/hosts", "/api/v1/hosts/t01", "/api/v1/actions", "/api/v1/plan", "/api/v1/energy",
        "/api/v1/energy/today", "/api/v1/notifications", "/api/v1/optimizer", "/api/v1/users", "/api/v1/groups", "/api/v1/sim")) {
      ApiClient.Reply r = carol.get(path);
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.json().get("type").asText()).endsWith("/forbidden");
    }
    assertThat(carol.patch("/api/v1/optimizer/groups/rack=r1", "{\"automation\": \"full\"}").status()).isEqualTo(403);
    assertThat(carol.get("/api/v1/users/alice").status()).isEqualTo(404);
    assertThat(carol.get("/api/v1/users/carol").status()).isEqualTo(200);
    assertThat(carol.get("/api/v1/tokens?user=alice").status()).isEqualTo(404);
    assertThat(carol.list("/api/v1/tokens")).extracting(t -> t.get("user").asText()).containsOnly("carol");

    // An administrator may act as a user: the VM is theirs, and the journal names both.
    ApiClient.Reply asCarol = admin.send(HttpRequest.newBuilder(admin.uri("/api/v1/vms")).header("X-Corral-User", "carol")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(vm("carol-2"))));
    assertThat(asCarol.status()).as(asCarol.toString()).isEqualTo(201);
    assertThat(asCarol.json().get("owner").asText()).isEqualTo("carol");
    assertThat(admin.list("/api/v1/events?subject=carol-2")).anySatisfy(e ->
        assertThat(e.get("cause").get("reason").asText()).contains("requested by admin as carol"));
  }

  @Test
  void theJournalStreamCarriesOnlyWhatItsUserMaySee() throws Exception {
    ApiClient gina = user("gina", null, null);
    String ginaToken = secrets.get(secrets.size() - 1);
    // From the current end of the journal: what follows is replayed should it come before the stream is open.
    URI stream = admin.uri("/api/v1/events/stream?after=" + corral.lastSeq());
    try (EventStreamReader hers = new EventStreamReader(stream, null, ginaToken);
        EventStreamReader all = new EventStreamReader(stream, null)) {
      assertThat(admin.post("/api/v1/vms", vm("adm-s1")).status()).isEqualTo(201);
      assertThat(gina.post("/api/v1/vms", vm("gina-s1")).status()).isEqualTo(201);
      assertThat(hers.response().statusCode()).isEqualTo(200);
      eventually().alias("gina-s1 on both streams").until(() -> has(hers, "gina-s1") && has(all, "gina-s1") && has(all, "adm-s1"));
      assertThat(hers.events()).extracting(e -> e.data().path("subject").asText()).containsOnly("gina-s1");
    }
    try (EventStreamReader none = new EventStreamReader(stream, null, null)) {
      assertThat(none.response().statusCode()).isEqualTo(401);
    }
  }

  private static boolean has(EventStreamReader r, String subject) {
    return r.events().stream().anyMatch(e -> subject.equals(e.data().path("subject").asText()));
  }

  @Test
  void twoConcurrentRequestsCannotTogetherExceedAQuota() throws Exception {
    ApiClient dave = user("dave", null, null);
    assertThat(admin.put("/api/v1/users/dave/quota", "{\"vms\": 3, \"cpus\": 8}").status()).isEqualTo(200);
    // 12 single creations and 4 bulk ones of 2 race for 3 VMs.
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ApiClient.Reply>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        String body = i < 12 ? vm("dave-" + i) : "[" + vm("dave-b" + i + "a") + "," + vm("dave-b" + i + "b") + "]";
        Callable<ApiClient.Reply> call = () -> {
          go.await();
          return dave.post("/api/v1/vms", body);
        };
        replies.add(pool.submit(call));
      }
      go.countDown();
      int created = 0;
      for (Future<ApiClient.Reply> f : replies) {
        ApiClient.Reply r = f.get(60, TimeUnit.SECONDS);
        if (r.status() == 201) {
          created += r.json().isArray() ? r.json().size() : 1;
        } else {
          assertThat(r.status()).as(r.toString()).isEqualTo(409);
          assertThat(r.json().get("type").asText()).endsWith("/quota-exceeded");
          assertThat(r.json().get("detail").asText()).contains("user dave may hold 3 vms").contains("corral user set-quota dave --vms");
        }
      }
      assertThat(created).as("VMs created").isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(admin.list("/api/v1/vms?owner=dave")).hasSize(3);
    JsonNode quota = dave.list("/api/v1/quota").get(0);
    assertThat(quota.get("usage").get("vms").asInt()).isEqualTo(3);
    assertThat(quota.get("limits").get("vms").asInt()).isEqualTo(3);
    // Deleting frees the room; a VM too big for the vCPU limit is refused naming it.
    String first = admin.list("/api/v1/vms?owner=dave").get(0).get("name").asText();
    assertThat(dave.delete("/api/v1/vms/" + first).status()).isEqualTo(202);
    eventually().alias(first + " deleted").until(() -> admin.get("/api/v1/vms/" + first).status() == 404);
    ApiClient.Reply big = dave.post("/api/v1/vms", "{\"name\": \"dave-big\", \"cpus\": 7, \"memoryMib\": 256, \"hold\": true}");
    assertThat(big.status()).isEqualTo(409);
    assertThat(big.json().get("detail").asText()).contains("may hold 8 cpus, holds 2 and this request asks for 7 more")
        .contains("--cpus 9");
  }

  @Test
  void groupQuotasCountEveryMember() {
    assertThat(admin.put("/api/v1/groups/team-b/quota", "{\"vms\": 1}").status()).isEqualTo(200);
    ApiClient erin = user("erin", "team-b", null);
    ApiClient frank = user("frank", "team-b", null);
    assertThat(erin.post("/api/v1/vms", vm("erin-1")).status()).isEqualTo(201);
    ApiClient.Reply second = frank.post("/api/v1/vms", vm("frank-1"));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().get("detail").asText()).contains("group team-b may hold 1 vms");
    assertThat(frank.list("/api/v1/quota")).extracting(q -> q.get("scope").asText()).containsExactly("user", "group");
  }

  @Test
  void failedLoginsAreRefusedThenLimitedAndJournaledWithoutThePassword() {
    try (ApiClient anonymous = new ApiClient(corral.runtime.port(), null)) {
      ApiClient.Reply ok = anonymous.post("/api/v1/login", "{\"user\": \"alice\", \"password\": \"alice-password-1\"}");
      assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
      String token = ok.json().get("token").asText();
      secrets.add(token);
      try (ApiClient viaLogin = new ApiClient(corral.runtime.port(), token)) {
        assertThat(viaLogin.get("/api/v1/whoami").json().get("name").asText()).isEqualTo("alice");
      }
      for (int i = 0; i < LoginLimiter.PER_USER; i++) {
        ApiClient.Reply bad = anonymous.post("/api/v1/login", "{\"user\": \"alice\", \"password\": \"guess-" + i + "-xyz\"}");
        assertThat(bad.status()).isEqualTo(401);
      }
      ApiClient.Reply limited = anonymous.post("/api/v1/login", "{\"user\": \"alice\", \"password\": \"alice-password-1\"}");
      assertThat(limited.status()).as("even the right password, once limited").isEqualTo(429);
      assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    }
    List<JsonNode> failures = admin.list("/api/v1/events?subject=alice").stream()
        .filter(e -> e.get("kind").asText().equals("LOGIN_FAILED")).toList();
    assertThat(failures).hasSizeGreaterThanOrEqualTo(LoginLimiter.PER_USER + 1);
    assertThat(failures.toString()).doesNotContain("guess-").doesNotContain("alice-password-1");
  }

  @Test
  void aRevokedTokenStopsWorkingAndAnExpiredOneToo() {
    ApiClient.Reply made = carol.post("/api/v1/tokens", "{\"description\": \"short\", \"expiresIn\": \"1s\"}");
    assertThat(made.status()).isEqualTo(201);
    String text = made.json().get("token").asText();
    secrets.add(text);
    try (ApiClient shortLived = new ApiClient(corral.runtime.port(), text)) {
      eventually().alias("a token of 1 s expires").until(() -> shortLived.get("/api/v1/whoami").status() == 401);
      assertThat(shortLived.get("/api/v1/whoami").json().get("detail").asText()).contains("expired");
    }
    ApiClient.Reply made2 = carol.post("/api/v1/tokens", "{}");
    String id = made2.json().get("id").asText();
    secrets.add(made2.json().get("token").asText());
    try (ApiClient revoked = new ApiClient(corral.runtime.port(), made2.json().get("token").asText())) {
      assertThat(revoked.get("/api/v1/whoami").status()).isEqualTo(200);
      assertThat(alice.delete("/api/v1/tokens/" + id).status()).as("not alice's to revoke").isEqualTo(404);
      assertThat(carol.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
      assertThat(revoked.get("/api/v1/whoami").status()).isEqualTo(401);
    }
  }

  @Test
  void theAdminTokenFileIsReadableByItsOwnerOnly() throws Exception {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(home.resolve(AdminToken.FILE));
    assertThat(mode).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void secretsNeverComeBackAfterCreation() {
    // Every answer a user can read after the fact, the journal, and the controller's log.
    List<String> answers = new ArrayList<>();
    for (String path : List.of("/api/v1/users", "/api/v1/groups", "/api/v1/tokens", "/api/v1/events?last=10000", "/api/v1/health",
        "/api/v1/whoami", "/api/v1/quota", "/metrics", "/api/v1/users/alice")) {
      answers.add(admin.get(path).text());
    }
    answers.add(carol.get("/api/v1/tokens").text());
    log.list.forEach(e -> answers.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())));
    String all = String.join("\n", answers);
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(4);
    for (String secret : secrets) {
      assertThat(all).as("a secret came back").doesNotContain(secret);
      if (secret.startsWith("corral_")) {
        // corral_ID_SECRET: the secret part is everything after the id (it may hold '_' itself).
        assertThat(all).doesNotContain(secret.split("_", 3)[2]);
      }
    }
    assertThat(all.toLowerCase(Locale.ROOT)).doesNotContain("$argon2id$").doesNotContain("secrethash");
  }

  private static List<String> names(List<JsonNode> vms) {
    return vms.stream().map(v -> v.get("name").asText()).toList();
  }
}
