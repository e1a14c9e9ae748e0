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
}
