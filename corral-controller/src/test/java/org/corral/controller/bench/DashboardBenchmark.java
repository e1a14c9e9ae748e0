package org.corral.controller.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.corral.controller.api.Browser;
import org.corral.controller.boot.CorralRuntime;
import org.corral.controller.config.ConfigReader;
import org.corral.model.time.SystemClock;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's first load in a real browser (headless chromium) on a simulated lab of H hosts
 * and N VMs (defaults 1,000 and 10,000), all RUNNING, created through the API in bulk, on the
 * embedded default store (H2 in a temporary home, as `corral up`). Each page is
 * loaded R times from a cold browser cache (Network.clearBrowserCache before each), logged in (the
 * token in sessionStorage, as after a login). Reported per page from the browser's own clocks: time
 * from navigation start until the page's data is on screen (the app's performance mark
 * corral:shown:PAGE, after every API call it needed has answered and the DOM is built), and
 * Navigation Timing's DOMContentLoaded and load. Run with bench/dashboard.
 */
public final class DashboardBenchmark {
  private static final String[] PAGES = {"overview", "hosts", "vms", "energy", "events", "ha"};

  public static void main(String[] args) throws Exception {
    int hostCount = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int vmCount = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int perHost = (int) Math.ceil(vmCount * 1.5 / hostCount);
    Path home = Files.createTempDirectory("corral-dashboard");
    String yaml = """
        controller: {monitorPeriod: 2s, schedulerPeriod: 1s, connectTimeout: 10s}
        api: {listen: "127.0.0.1:0", readTimeout: 5m}
        executor: {maxConcurrent: 100000, maxPerHost: 10000}
        optimizer: {automation: off}
        lab:
          name: dash
          stateFile: false
          latencies: {define: 0s, boot: 0s, shutdown: 0s, migrationBase: 0s, powerOn: 0s, powerOff: 0s}
          hosts:
            - {prefix: h, count: %d, cores: %d, mhz: 2600, memoryMib: %d, labels: {rack: r1}}
        """.formatted(hostCount, perHost, (long) perHost * 1024);
    System.out.printf("# dashboard: %,d hosts, %,d VMs, %d cold loads per page, %d cores, java %s%n", hostCount, vmCount, runs,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    SystemClock clock = new SystemClock("corral-loop");
    CorralRuntime corral = CorralRuntime.start(ConfigReader.parse(yaml, "bench/dashboard", System.getenv()), home, clock, d -> {});
    String token = org.corral.controller.api.TestTokens.admin(home);
    String api = "http://127.0.0.1:" + corral.port() + "/api/v1";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    WebDriver browser = null;
    try {
      for (int i = 0; i < vmCount; i += 1000) {
        StringBuilder body = new StringBuilder("[");
        for (int j = i; j < Math.min(vmCount, i + 1000); j++) {
          body.append(j == i ? "" : ",").append("{\"name\": \"vm").append(String.format("%06d", j))
              .append("\", \"cpus\": 1, \"memoryMib\": 512, \"labels\": {\"app\": \"a").append(j % 10).append("\"}}");
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/vms")).header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.append("]").toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
          throw new IllegalStateException("POST /vms: " + r.statusCode() + " " + r.body());
        }
      }
      ScaleBenchmark.await("every VM RUNNING", Duration.ofMinutes(20), () -> {
        String health = http.send(HttpRequest.newBuilder(URI.create(api + "/health")).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        return health.contains("\"RUNNING\":" + vmCount);
      });
      ScaleBenchmark.await("a few power samples", Duration.ofMinutes(1), () -> http.send(HttpRequest.newBuilder(URI.create(api
          + "/trends?last=3")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body()
          .matches(".*\"hostsOn\":\\[[^,\\]]+,[^,\\]]+,[^,\\]]+].*"));
      System.out.printf("# lab ready: %,d VMs RUNNING on %,d hosts%n", vmCount, hostCount);

      browser = Browser.open(1280, 800);
      JavascriptExecutor js = (JavascriptExecutor) browser;
      String base = "http://127.0.0.1:" + corral.port() + "/";
      browser.get(base);
      js.executeScript("sessionStorage.setItem('corral.token', arguments[0])", token);
      System.out.println("| page | data on screen, median | max | DOMContentLoaded, median | load, median |");
      System.out.println("|---|---|---|---|---|");
      for (String page : PAGES) {
        List<Double> shown = new ArrayList<>();
        List<Double> dcl = new ArrayList<>();
        List<Double> load = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          browser.get("about:blank");
          ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCache", Map.of());
          browser.get(base + "#/" + page);
          String mark = "corral:shown:" + page;
          ScaleBenchmark.await(page + " shown", Duration.ofSeconds(60), () -> js.executeScript(
              "return performance.getEntriesByName(arguments[0]).length > 0", mark).equals(Boolean.TRUE));
          shown.add(((Number) js.executeScript("return performance.getEntriesByName(arguments[0])[0].startTime", mark)).doubleValue());
          ScaleBenchmark.await(page + " load event", Duration.ofSeconds(60), () -> ((Number) js.executeScript(
              "return performance.getEntriesByType('navigation')[0].loadEventEnd")).doubleValue() > 0);
          dcl.add(((Number) js.executeScript("return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")).doubleValue());
          load.add(((Number) js.executeScript("return performance.getEntriesByType('navigation')[0].loadEventEnd")).doubleValue());
        }
        System.out.printf("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", page, median(shown), Collections.max(shown), median(dcl),
            median(load));
      }
      // The README's picture (docs/dashboard-overview.png is this, reduced).
      browser.get(base + "#/overview");
      ScaleBenchmark.await("overview shown", Duration.ofSeconds(60), () -> js.executeScript(
          "return performance.getEntriesByName('corral:shown:overview').length > 0").equals(Boolean.TRUE));
      Path shot = Path.of("target", "dashboard-overview.png");
      Files.createDirectories(shot.getParent());
      Files.write(shot, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
      System.out.println("# screenshot: " + shot.toAbsolutePath());
    } finally {
      if (browser != null) {
        browser.quit();
      }
      corral.close();
      clock.close();
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
