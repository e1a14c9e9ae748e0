package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26 (items 2, 3, 5, 7, 8 and the 500 of item 4) against a real Corral over loopback: every
 * request here was answered wrongly before (accepted, a 404 or 500, HTML, ISO-8859-1) and must now
 * get a 4xx problem+json in UTF-8 that names the field, and change nothing.
 */
class ApiHardeningTest {
  @TempDir
  static Path home;
  static RunningCorral corral;
  static ApiClient api;
  static int port;
  private long seqBefore;

  @BeforeAll
  static void start() {
    corral = new RunningCorral(home, "{listen: \"127.0.0.1:0\", readTimeout: 1s, serverNames: [corral.test],"
        + " allowedOrigins: [\"https://dash.example:8443\"]}");
    api = corral.api;
    port = corral.runtime.port();
  }

  @AfterAll
  static void stop() {
    corral.close();
  }

  @BeforeEach
  void mark() {
    seqBefore = corral.lastSeq();
  }

  // ---- item 2: size limits whatever the framing, per-field limits, short quotes, slow clients ----

  @Test
  void aChunkedBodyOverTheLimitIs413AndNothingIsCreated() {
    String body = "{\"name\": \"big1\", \"cpus\": 1, \"memoryMib\": 64, \"userData\": \"" + "x".repeat(9 * 1024 * 1024) + "\"}";
    RawHttp.Reply r = RawHttp.chunked(port, "/api/v1/vms", "application/json", body.getBytes(StandardCharsets.UTF_8));
    problem(r, 413, "payload-too-large", null);
    assertThat(api.get("/api/v1/vms/big1").status()).isEqualTo(404);
  }

  @Test
  void aDeclaredLengthOverTheLimitIs413ProblemJson() {
    byte[] body = ("{\"name\": \"big2\", \"userData\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    RawHttp.Reply r = RawHttp.send(port, "POST /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close", body);
    problem(r, 413, "payload-too-large", null);
  }

  @Test
  void aHugeBadNameIsQuotedByAShortPrefix() {
    RawHttp.Reply r = post("/api/v1/vms", "{\"name\": \"" + "N".repeat(900_000) + "\", \"cpus\": 1, \"memoryMib\": 64}");
    problem(r, 400, "invalid-input", "name");
    assertThat(r.body().length).as("the error body").isLessThan(1000);
    assertThat(r.json().get("detail").asText()).contains("(900000 characters)");
  }

  @Test
  void fieldsHaveLimitsNamedInTheError() {
    problem(post("/api/v1/vms", vm("ud1", ", \"userData\": \"" + "x".repeat(70_000) + "\"")), 400, "invalid-input", "spec.userData");
    problem(post("/api/v1/vms", vm("dk1", ", \"disks\": [" + "{\"image\": \"img1\"},".repeat(4999) + "{\"image\": \"img1\"}]")),
        400, "invalid-input", "spec.disks");
    problem(post("/api/v1/vms", vm("nc1", ", \"nics\": [" + "{\"network\": \"net1\"},".repeat(8) + "{\"network\": \"net1\"}]")),
        400, "invalid-input", "spec.nics");
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < 60_000; i++) {
      labels.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
    }
    problem(post("/api/v1/vms", vm("lb1", ", \"labels\": {" + labels + "}")), 400, "invalid-input", "spec.labels");
    problem(post("/api/v1/vms", vm("lb2", ", \"labels\": {\"" + "k".repeat(10_000) + "\": \"v\"}")), 400, "invalid-input", "spec.labels");
    problem(post("/api/v1/hosts", "{\"name\": \"h9\", \"uri\": \"sim://t/h9\", \"labels\": {\"rack\": \"" + "r".repeat(64) + "\"}}"),
        400, "invalid-input", "labels.rack");
  }

  @Test
  void aClientThatStopsSendingItsBodyIsCutOffByTheReadTimeout() {
    RawHttp.Reply r = RawHttp.exchange(port, out -> {
      out.write((TestTokens.authorize(port, "POST /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000")
          + "\r\n\r\n{\"name\": ").getBytes(StandardCharsets.UTF_8));
      out.flush(); // and then nothing: readTimeout is 1s here
    });
    problem(r, 408, "request-timeout", null);
  }

  @Test
  void aClientSlowerThanTheMinimumDataRateGets408() throws IOException {
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write((TestTokens.authorize(port, "POST /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000")
          + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      // One byte every 100 ms: never silent for the 1 s read timeout, far below 4 KiB/s.
      trickle.scheduleAtFixedRate(() -> {
        try {
          out.write(' ');
          out.flush();
        } catch (IOException closed) {
          throw new IllegalStateException(closed); // ends the schedule once the server hangs up
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      problem(RawHttp.read(s.getInputStream()), 408, "request-timeout", null);
    } finally {
      trickle.shutdownNow();
    }
  }

  // ---- item 3: a web page cannot drive Corral ----

  @Test
  void writesTakeOnlyJson() {
    String body = vm("cs1", "");
    problem(RawHttp.send(port, head("POST", "/api/v1/vms", "text/plain", body), bytes(body)), 415, "unsupported-media-type", null);
    problem(RawHttp.send(port, head("POST", "/api/v1/vms", "application/x-www-form-urlencoded", body), bytes(body)),
        415, "unsupported-media-type", null);
    problem(RawHttp.send(port, head("POST", "/api/v1/vms/cs1/start", null, ""), new byte[0]), 415, "unsupported-media-type", null);
    problem(RawHttp.send(port, head("POST", "/api/v1/vms", "application/json; charset=iso-8859-1", body), bytes(body)),
        415, "unsupported-media-type", null);
  }

  @Test
  void foreignOriginsAndHostsAreForbidden() {
    String body = vm("or1", "");
    problem(RawHttp.send(port, head("POST", "/api/v1/vms", "text/plain", body) + "\r\nOrigin: http://evil.example", bytes(body)),
        403, "forbidden", null);
    problem(RawHttp.send(port, head("POST", "/api/v1/vms", "application/json", body) + "\r\nOrigin: http://evil.example", bytes(body)),
        403, "forbidden", null);
    problem(RawHttp.send(port, "GET /api/v1/hosts HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close", new byte[0]),
        403, "forbidden", null);
    problem(RawHttp.send(port, "GET /api/v1/hosts HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: null\r\nConnection: close",
        new byte[0]), 403, "forbidden", null);
  }

  @Test
  void theApisOwnOriginTheAllowListAndKnownNamesAreServed() {
    for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "corral.test", "CORRAL.TEST:" + port}) {
      RawHttp.Reply r = RawHttp.send(port, "GET /api/v1/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close", new byte[0]);
      assertThat(r.status()).as(host + ": " + r).isEqualTo(200);
    }
    for (String origin : new String[] {"http://127.0.0.1:" + port, "https://dash.example:8443"}) {
      RawHttp.Reply r = RawHttp.send(port, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: " + origin
          + "\r\nConnection: close", new byte[0]);
      assertThat(r.status()).as(origin + ": " + r).isEqualTo(200);
    }
    RawHttp.Reply same = RawHttp.send(port, head("POST", "/api/v1/vms", "application/json", vm("or2", "", "\"hold\": true"))
        + "\r\nOrigin: http://127.0.0.1:" + port, bytes(vm("or2", "", "\"hold\": true")));
    assertThat(same.status()).as(same.toString()).isEqualTo(201);
    assertThat(api.delete("/api/v1/vms/or2").status()).isEqualTo(202);
    RunningCorral.eventually().until(() -> api.get("/api/v1/vms/or2").status() == 404);
    seqBefore = corral.lastSeq();
  }

  // ---- item 5: UTF-8 everywhere, and said so ----

  @Test
  void errorsAreUtf8AndSaySo() {
    RawHttp.Reply r = post("/api/v1/vms", "{\"name\": \"名前é\", \"cpus\": 1, \"memoryMib\": 64}");
    problem(r, 400, "invalid-input", "name");
    assertThat(r.json().get("detail").asText()).contains("'名前é'");
  }

  @Test
  void everyKindOfAnswerNamesUtf8() {
    for (String path : new String[] {"/api/v1/health", "/api/v1/openapi.json", "/metrics", "/api/v1/nosuch", "/api/v1/hosts/t01"}) {
      RawHttp.Reply r = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", new byte[0]);
      assertThat(r.header("Content-Type")).as(path).containsIgnoringCase("charset=utf-8");
    }
  }

  // ---- item 8: consistency ----

  @Test
  void aWrongMethodIs405WithAllow() {
    RawHttp.Reply put = RawHttp.send(port, "PUT /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 2\r\nConnection: close", bytes("{}"));
    problem(put, 405, "method-not-allowed", null);
    assertThat(put.header("Allow")).isEqualTo("GET, POST");
    RawHttp.Reply del = RawHttp.send(port, "DELETE /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", new byte[0]);
    problem(del, 405, "method-not-allowed", null);
    assertThat(del.header("Allow")).isEqualTo("GET");
  }

  @Test
  void pathsJettyRefusesAreProblemJsonToo() {
    problem(RawHttp.send(port, "GET /api/v1/vms/a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", new byte[0]),
        400, "bad-request", null);
    problem(RawHttp.send(port, "GET /api/v1/vms/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close",
        new byte[0]), 414, "uri-too-long", null);
    problem(RawHttp.send(port, "GET /api/v1/vms/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", new byte[0]),
        400, "bad-request", null);
    // Jetty lets a lone '%' through, and Javalin failed on it with a 500 (found by ApiFuzzTest).
    problem(RawHttp.send(port, "GET /api/v1/hosts/% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", new byte[0]),
        400, "bad-request", null);
  }

  @Test
  void queryParametersAreCheckedOnEveryRoute() {
    problem(RawHttp.send(port, "GET /api/v1/events/stream?after=abc HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        + "Connection: close", new byte[0]), 400, "invalid-input", "after");
    problem(get("/api/v1/events?limit=-1"), 400, "invalid-input", "limit");
    problem(get("/api/v1/events?offset=3"), 400, "invalid-input", "offset");
    problem(get("/api/v1/vms?colour=red"), 400, "invalid-input", "colour");
    problem(get("/api/v1/hosts?limit=1"), 400, "invalid-input", "limit");
    problem(get("/api/v1/vms?state=RUNNING&state=STOPPED"), 400, "invalid-input", "state");
    problem(get("/api/v1/events/stream"), 406, "not-acceptable", null);
  }

  @Test
  void everyBodyRejectsUnknownFields() {
    problem(post("/api/v1/hosts/t01/maintenance", "{\"enabled\": true, \"why\": \"x\"}"), 400, "invalid-input", "why");
    problem(post("/api/v1/vms/nosuch/stop", "{\"force\": true, \"grace\": 5}"), 400, "invalid-input", "grace");
    problem(post("/api/v1/vms/nosuch/migrate", "{\"to\": \"t02\", \"live\": true}"), 400, "invalid-input", "live");
    problem(post("/api/v1/vms/nosuch/start", "{\"now\": true}"), 400, "invalid-input", "now");
    problem(post("/api/v1/sim/hosts/t01/bmc", "{\"reachable\": true, \"extra\": 1}"), 400, "invalid-input", "extra");
    problem(post("/api/v1/sim/vms/nosuch/workload", "{\"constant\": 0.5, \"noise\": 1}"), 400, "invalid-input", "noise");
  }

  // ---- item 7, and item 4's 500: accepted or crashed before, 400 now ----

  @Test
  void wrongJsonTypesAreNotCoerced() {
    problem(post("/api/v1/vms", "{\"name\": \"ty1\", \"cpus\": \"2\", \"memoryMib\": 64}"), 400, "invalid-input", "cpus");
    problem(post("/api/v1/vms", "{\"name\": 2147483648, \"cpus\": 1, \"memoryMib\": 64}"), 400, "invalid-input", "name");
    problem(post("/api/v1/vms", "{\"name\": true, \"cpus\": 1, \"memoryMib\": 64}"), 400, "invalid-input", "name");
    problem(post("/api/v1/vms", "{\"name\": \"ty2\", \"cpus\": 1, \"memoryMib\": 64, \"labels\": {\"a\": 1}}"),
        400, "invalid-input", "labels.a");
    problem(post("/api/v1/vms", vm("nd1", ", \"disks\": [null]")), 400, "invalid-input", "spec.disks[0]");
  }

  @Test
  void networksImagesAndHostsAreCheckedBeforeTheyAreStored() {
    problem(post("/api/v1/networks", "{\"name\": \"n5\", \"bridge\": \"br5\", \"cidr\": \"10.20.0.5/24\"}"), 400, "invalid-input", "cidr");
    problem(post("/api/v1/networks", "{\"name\": \"n6\", \"bridge\": \"br6\", \"cidr\": \"10.10.0.128/25\"}"), 400, "invalid-input", "cidr");
    problem(post("/api/v1/networks", "{\"name\": \"n7\", \"bridge\": \"br7\", \"cidr\": \"10.21.0.0/24\", \"firstIp\": \"10.21.0.9\","
        + " \"lastIp\": \"10.21.0.3\"}"), 400, "invalid-input", "firstIp");
    problem(post("/api/v1/networks", "{\"name\": \"n8\", \"bridge\": \"br8\", \"cidr\": \"10.22.0.0/24\", \"macStart\": \"ff:ff:ff:ff:ff:ff\"}"),
        400, "invalid-input", "macStart");
    problem(post("/api/v1/networks", "{\"name\": \"n9\", \"bridge\": \"br0; rm -rf /\", \"cidr\": \"10.23.0.0/24\"}"), 400, "invalid-input", "bridge");
    problem(post("/api/v1/networks", "{\"name\": \"n9\", \"bridge\": \"net:\", \"cidr\": \"10.23.0.0/24\"}"), 400, "invalid-input", "bridge");
    problem(post("/api/v1/images", "{\"name\": \"i5\", \"pool\": \"default\", \"volume\": \"../../etc/shadow\", \"sizeGib\": 1}"),
        400, "invalid-input", "volume");
    problem(post("/api/v1/images", "{\"name\": \"i6\", \"pool\": \"default\", \"volume\": \"i6.qcow2\", \"sizeGib\": 9223372036854775807}"),
        400, "invalid-input", "sizeGib");
    problem(post("/api/v1/hosts", "{\"name\": \"h5\", \"uri\": \"sim://t/h5\", \"capacity\": {\"cores\": 8, \"mhzPerCore\": 2000,"
        + " \"memoryMib\": 9223372036854775807}}"), 400, "invalid-input", "capacity.memoryMib");
    problem(post("/api/v1/hosts", "{\"name\": \"h6\", \"uri\": \"sim://t/h6\", \"power\": {\"on\": \"wol://10.0.0.255\", \"mac\": \"zz:zz\"}}"),
        400, "invalid-input", "power.mac");
  }

  // ---- helpers ----

  private static String vm(String name, String more) {
    return "{\"name\": \"" + name + "\", \"cpus\": 1, \"memoryMib\": 64" + more + "}";
  }

  private static String vm(String name, String more, String last) {
    return "{\"name\": \"" + name + "\", \"cpus\": 1, \"memoryMib\": 64" + more + ", " + last + "}";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String head(String method, String path, String contentType, String body) {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + (contentType == null ? "" : "\r\nContent-Type: " + contentType)
        + "\r\nContent-Length: " + bytes(body).length + "\r\nConnection: close";
  }

  private static RawHttp.Reply post(String path, String json) {
    return RawHttp.send(port, head("POST", path, "application/json", json), bytes(json));
  }

  private static RawHttp.Reply get(String path) {
    return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", new byte[0]);
  }

  /** A problem+json in UTF-8 with this status, type and field, after which the journal has not moved. */
  private void problem(RawHttp.Reply r, int status, String type, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(r.toString()).isEqualToIgnoringCase("application/problem+json;charset=utf-8");
    JsonNode body = r.json();
    assertThat(body.get("type").asText()).as(r.toString()).isEqualTo("https://corral.dev/problems/" + type);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    if (field != null) {
      assertThat(body.path("field").asText()).as(r.toString()).isEqualTo(field);
    }
    assertThat(corral.lastSeq()).as("the journal after " + r).isEqualTo(seqBefore);
  }
}
