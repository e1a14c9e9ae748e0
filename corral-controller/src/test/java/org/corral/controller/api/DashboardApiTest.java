package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dashboard needs of the server, without a browser: its files are served from the jar
 * to anyone (they hold no data) under a strict Content-Security-Policy, uPlot comes from its
 * webjar, the API stays behind its token and its Host/Origin checks, the page's own requests pass
 * them, and GET /trends gives the charts their series.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {
  @TempDir
  static Path home;
  RunningCorral corral;
  ApiClient anonymous;
  int port;

  @BeforeAll
  void start() {
    corral = new RunningCorral(home);
    port = corral.runtime.port();
    anonymous = new ApiClient(port, null);
  }

  @AfterAll
  void stop() {
    anonymous.close();
    corral.close();
  }

  @Test
  void theFilesAreOpenAndServedFromTheJarUnderAStrictPolicy() {
    ApiClient.Reply page = anonymous.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.text()).contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    for (String f : new String[] {"/ui/app.js", "/ui/api.js", "/ui/ui.js", "/ui/pages.js"}) {
      ApiClient.Reply r = anonymous.get(f);
      assertThat(r.status()).as(f).isEqualTo(200);
      assertThat(r.contentType()).as(f).startsWith("text/javascript");
    }
    ApiClient.Reply uplot = anonymous.get("/ui/vendor/uplot/uPlot.esm.js");
    assertThat(uplot.status()).isEqualTo(200);
    assertThat(uplot.text()).contains("export { uPlot as default }");
    assertThat(anonymous.get("/ui/vendor/uplot/uPlot.min.css").contentType()).startsWith("text/css");
  }

  @Test
  void onlyTheDashboardsOwnFilesAreServed() {
    for (String path : new String[] {"/ui/nope.js", "/ui/app.exe", "/ui/../pom.xml", "/ui/%2e%2e/openapi.json", "/ui/dashboard/index.html",
        "/ui/vendor/uplot/LICENSE", "/ui/.hidden.js"}) {
      ApiClient.Reply r = anonymous.get(path);
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(r.contentType()).as(path).startsWith("application/problem+json");
    }
    assertThat(anonymous.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
        .method("POST", HttpRequest.BodyPublishers.noBody())).status()).as("only GET").isIn(404, 405);
  }

  @Test
  void theApiStaysProtectedAndThePagesOwnOriginPasses() {
    assertThat(anonymous.get("/api/v1/hosts").status()).isEqualTo(401);
    assertThat(anonymous.get("/api/v1/trends").status()).isEqualTo(401);
    // A rebinding name is refused for the page too; another site's Origin may not use the API.
    assertThat(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close", new byte[0]).status()).isEqualTo(403);
    String create = "{\"name\": \"o1\", \"cpus\": 1, \"memoryMib\": 256}";
    assertThat(corral.api.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/vms"))
        .header("Content-Type", "application/json").header("Origin", "http://evil.example")
        .POST(HttpRequest.BodyPublishers.ofString(create))).status()).isEqualTo(403);
    // The page's own requests: Origin is the page's (the same host and port as Host).
    assertThat(corral.api.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/vms"))
        .header("Content-Type", "application/json").header("Origin", "http://127.0.0.1:" + port)
        .POST(HttpRequest.BodyPublishers.ofString(create))).status()).isEqualTo(201);
  }

  @Test
  void trendsGiveTheChartsTheirSeries() {
    RunningCorral.eventually().until(() -> corral.api.get("/api/v1/trends?last=3").json().get("times").size() == 3);
    JsonNode all = corral.api.get("/api/v1/trends?last=3").json();
    assertThat(all.get("hostsOn").get(2).asDouble()).isEqualTo(4);
    assertThat(all.get("watts").get(2).asDouble()).as("four hosts at idle or above").isGreaterThanOrEqualTo(4 * 50);
    for (String series : new String[] {"watts", "hostsOn", "cpu", "migrating", "migrations"}) {
      assertThat(all.get(series).size()).as(series).isEqualTo(3);
    }
    JsonNode t01 = corral.api.get("/api/v1/trends?host=t01&last=2").json();
    assertThat(t01.get("host").asText()).isEqualTo("t01");
    assertThat(t01.get("cpu").size()).isEqualTo(2);
    assertThat(t01.get("memory").size()).isEqualTo(2);
    assertThat(t01.get("watts").get(1).asDouble()).isGreaterThanOrEqualTo(50);
    double first = t01.get("times").get(0).asDouble();
    assertThat(t01.get("times").get(1).asDouble()).isGreaterThan(first);

    assertThat(corral.api.post("/api/v1/vms", RunningCorral.vmBody("busy1", "true")).status()).isEqualTo(201);
    corral.untilVmState("busy1", "RUNNING");
    RunningCorral.eventually().until(() -> corral.api.get("/api/v1/trends?vm=busy1").json().get("cpu").size() >= 2);
    JsonNode vm = corral.api.get("/api/v1/trends?vm=busy1&last=2").json();
    assertThat(vm.get("host").asText()).isEqualTo(corral.vm("busy1").get("host").asText());
    assertThat(vm.get("cpu").size()).isEqualTo(2);
    assertThat(vm.get("times").get(1).asDouble()).isGreaterThan(vm.get("times").get(0).asDouble());
    assertThat(corral.api.get("/api/v1/trends?vm=nope").status()).isEqualTo(404);

    // A live migration that ends well is counted in the interval it ended in.
    String from = corral.vm("busy1").get("host").asText();
    String to = RunningCorral.HOSTS.stream().filter(h -> !h.equals(from)).findFirst().orElseThrow();
    assertThat(corral.api.post("/api/v1/vms/busy1/migrate", "{\"to\": \"" + to + "\"}").status()).isEqualTo(202);
    corral.untilVm("busy1", "on " + to, v -> to.equals(v.get("host").asText()) && "RUNNING".equals(v.get("state").asText()));
    RunningCorral.eventually().until(() -> {
      double sum = 0;
      for (JsonNode x : corral.api.get("/api/v1/trends").json().get("migrations")) {
        sum += x.asDouble();
      }
      return sum >= 1;
    });

    ApiClient.Reply unknown = corral.api.get("/api/v1/trends?host=nope");
    assertThat(unknown.status()).isEqualTo(404);
    ApiClient.Reply bad = corral.api.get("/api/v1/trends?last=many");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("last");
  }

  @Test
  void vmSearchFindsNamesContainingTheText() {
    for (String n : new String[] {"alpha-web", "beta-web", "gamma-db"}) {
      assertThat(corral.api.post("/api/v1/vms", "{\"name\": \"" + n + "\", \"cpus\": 1, \"memoryMib\": 256, \"hold\": true}").status())
          .isEqualTo(201);
    }
    assertThat(corral.api.list("/api/v1/vms?q=WEB").stream().map(v -> v.get("name").asText())).containsExactly("alpha-web", "beta-web");
    assertThat(corral.api.list("/api/v1/vms?q=db&limit=1").stream().map(v -> v.get("name").asText())).containsExactly("gamma-db");
  }

  @Test
  void oneHostGroupsAutomationChangesAloneAndBadValuesChangeNothing() {
    ApiClient.Reply set = corral.api.patch("/api/v1/optimizer/groups/rack=r1", "{\"automation\": \"partial\"}");
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    JsonNode groups = corral.api.get("/api/v1/optimizer").json().get("groups");
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).get("labels").get("rack").asText()).isEqualTo("r1");
    assertThat(groups.get(0).get("automation").asText()).isEqualTo("partial");
    String detector = corral.api.get("/api/v1/optimizer").json().get("detector").asText();
    // Changed in place, not added twice; the default level set the same way; the rest stays.
    assertThat(corral.api.patch("/api/v1/optimizer/groups/rack=r1", "{\"automation\": \"full\"}").json().get("groups")).hasSize(1);
    assertThat(corral.api.patch("/api/v1/optimizer/groups/default", "{\"automation\": \"off\"}").json().get("automation").asText())
        .isEqualTo("off");
    JsonNode now = corral.api.get("/api/v1/optimizer").json();
    assertThat(now.get("groups").get(0).get("automation").asText()).isEqualTo("full");
    assertThat(now.get("detector").asText()).isEqualTo(detector);
    assertThat(corral.api.list("/api/v1/events?last=5")).anySatisfy(e ->
        assertThat(e.get("message").asText()).isEqualTo("optimizer: hosts with rack=r1 at full (was partial)"));

    for (String[] bad : new String[][] {{"rack=r1", "{\"automation\": \"max\"}", "automation"}, {"rack=r1", "{}", "automation"},
        {"rack", "{\"automation\": \"full\"}", "labels"}, {"rack=r1,rack=r2", "{\"automation\": \"full\"}", "labels"},
        {"rack=r1", "{\"automation\": \"full\", \"labels\": {}}", "labels"}}) {
      ApiClient.Reply r = corral.api.patch("/api/v1/optimizer/groups/" + bad[0], bad[1]);
      assertThat(r.status()).as(String.join(" ", bad)).isEqualTo(400);
      assertThat(r.json().get("field").asText()).as(String.join(" ", bad)).isEqualTo(bad[2]);
    }
    assertThat(corral.api.get("/api/v1/optimizer").json()).as("nothing changed").isEqualTo(now);
    // Another site's page may not change it (RequestGate's Origin rule holds for PATCH).
    assertThat(corral.api.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/optimizer/groups/rack=r1"))
        .header("Content-Type", "application/json").header("Origin", "http://evil.example")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"automation\": \"off\"}"))).status()).isEqualTo(403);
    assertThat(anonymous.patch("/api/v1/optimizer/groups/rack=r1", "{\"automation\": \"off\"}").status()).isEqualTo(401);

    assertThat(corral.api.delete("/api/v1/optimizer/groups/rack=r1").json().get("groups")).isEmpty();
    assertThat(corral.api.delete("/api/v1/optimizer/groups/rack=r1").status()).isEqualTo(404);
    assertThat(corral.api.delete("/api/v1/optimizer/groups/default").status()).isEqualTo(400);
    assertThat(corral.api.patch("/api/v1/optimizer/groups/default", "{\"automation\": \"recommend\"}").status()).isEqualTo(200);
  }

  @Test
  void energyTodayComparesWithEveryHostOn() {
    RunningCorral.eventually().until(() -> corral.api.get("/api/v1/energy/today").json().get("kwh").asDouble() > 0);
    JsonNode today = corral.api.get("/api/v1/energy/today").json();
    assertThat(today.get("zone").asText()).isEqualTo(java.time.ZoneId.systemDefault().getId());
    assertThat(today.get("day").asText()).isEqualTo(java.time.LocalDate.now().toString());
    assertThat(today.get("everythingOnKwh").asDouble()).as("every host is on: the same").isGreaterThanOrEqualTo(today.get("kwh").asDouble());
    assertThat(today.get("savedKwh").asDouble()).isCloseTo(today.get("everythingOnKwh").asDouble() - today.get("kwh").asDouble(),
        org.assertj.core.data.Offset.offset(0.0002));
    assertThat(java.time.Instant.parse(today.get("since").asText())).isBeforeOrEqualTo(java.time.Instant.parse(today.get("at").asText()));
    assertThat(today.get("watts").asDouble()).as("four hosts at 50 W idle or more").isGreaterThanOrEqualTo(200);
  }

  /**
   * Reads served from published state answer while the controller's loop is held by a long task:
   * energy, today's energy, the optimizer's settings, notifications, hosts, VMs, health (with the
   * executor's counts), networks and images at once; the plan after at most its wait, saying it
   * may not be current.
   */
  @Test
  void readsAnswerWhileTheLoopIsBusy() throws Exception {
    RunningCorral.eventually().until(() -> corral.api.get("/api/v1/plan").json().get("current").asBoolean());
    assertThat(corral.api.post("/api/v1/vms", "{\"name\": \"held1\", \"cpus\": 1, \"memoryMib\": 256, \"hold\": true}").status())
        .isEqualTo(201);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    corral.clock.execute(() -> {
      held.countDown();
      try {
        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      assertThat(held.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      for (String path : new String[] {"/api/v1/energy", "/api/v1/energy/today", "/api/v1/optimizer", "/api/v1/notifications",
          "/api/v1/hosts", "/api/v1/vms/held1", "/api/v1/trends?last=1", "/api/v1/health", "/api/v1/networks", "/api/v1/networks/net1",
          "/api/v1/images", "/api/v1/images/img1"}) {
        long t0 = System.nanoTime();
        ApiClient.Reply r = corral.api.get(path);
        assertThat(r.status()).as(path + " " + r).isEqualTo(200);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).as(path).isLessThan(java.time.Duration.ofSeconds(5));
      }
      // The VM made since the last plan: a fresh one waits for the loop, so the last is shown, marked.
      ApiClient.Reply plan = corral.api.get("/api/v1/plan");
      assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
      assertThat(plan.json().get("current").asBoolean()).isFalse();
    } finally {
      release.countDown();
    }
    RunningCorral.eventually().until(() -> corral.api.get("/api/v1/plan").json().get("current").asBoolean());
  }
}
