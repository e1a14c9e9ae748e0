package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (Debian's chromium through chromedriver, headless) against a
 * whole Corral on the simulated lab ({@link RunningCorral}): every action goes through the page's
 * own controls, and is checked both on the page and through the API. Screenshots of each page go
 * to target/dashboard-screenshots/ for review. Skipped, saying why, where chromium is not
 * installed (with CI=true it fails instead: .ci/run installs it).
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  static final Path SHOTS = Path.of("target", "dashboard-screenshots");
  private static final String PASSWORD = "correct horse battery";

  @TempDir
  static Path home;
  RunningCorral corral;
  com.sun.net.httpserver.HttpServer hook;
  WebDriver browser;
  String base;

  @BeforeAll
  void start() throws Exception {
    browser = Browser.open(1280, 800);
    // A webhook receiver on loopback: the Guardian's notifications go there (the HA page lists them).
    hook = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    hook.start();
    corral = new RunningCorral(home, org.corral.controller.config.ConfigReader.parse(RunningCorral.LAB_YAML + """
        guardian:
          notify:
            webhooks:
              - {url: "http://127.0.0.1:%d/hook", secretEnv: HOOK_KEY}
        """.formatted(hook.getAddress().getPort()), "test lab", java.util.Map.of("HOOK_KEY", "hook-key-for-tests")), d -> { });
    base = "http://127.0.0.1:" + corral.runtime.port() + "/";
    assertThat(corral.api.post("/api/v1/users", "{\"name\": \"ops\", \"role\": \"admin\", \"password\": \"" + PASSWORD + "\"}")
        .status()).isEqualTo(201);
    Files.createDirectories(SHOTS);
    login("ops", PASSWORD);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (corral != null) {
      corral.close();
    }
    if (hook != null) {
      hook.stop(0);
    }
  }

  /** By keyboard only: the page puts the focus on the user field; Tab to the password, Enter submits. */
  void login(String user, String password) {
    browser.get(base);
    until(() -> browser.findElement(By.id("login-user")));
    WebElement focused = browser.switchTo().activeElement();
    assertThat(focused.getAttribute("id")).isEqualTo("login-user");
    focused.sendKeys(user);
    new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.TAB).sendKeys(password)
        .sendKeys(org.openqa.selenium.Keys.ENTER).perform();
    until(() -> browser.findElement(By.id("stat-hosts")));
  }

  /** Every visible control has an accessible name (a label, or aria-label, or its text). */
  void everyControlIsLabelled(String page) {
    @SuppressWarnings("unchecked")
    List<String> unlabelled = (List<String>) ((JavascriptExecutor) browser).executeScript("""
        return [...document.querySelectorAll('input, select, textarea, button, a[href]')]
          .filter(e => e.offsetParent !== null)
          .filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.textContent.trim()))
          .map(e => e.outerHTML.slice(0, 120));
        """);
    assertThat(unlabelled).as("unlabelled controls on " + page).isEmpty();
  }

  @Test
  @Order(1)
  void theOverviewShowsTheLabAndTheTokenStaysOutOfUrlsAndStorageButSession() {
    go("#/overview");
    assertThat(until(() -> browser.findElement(By.id("stat-hosts"))).getText()).isEqualTo("4");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    assertThat((String) js.executeScript("return sessionStorage.getItem('corral.token')")).startsWith("corral_");
    assertThat((Long) js.executeScript("return localStorage.length")).isZero();
    assertThat(browser.getCurrentUrl()).doesNotContain("corral_");
    // Energy saved today against every host on (GET /energy/today).
    assertThat(until(() -> browser.findElement(By.id("stat-saved-today"))).getText()).matches("-?[0-9]+\\.[0-9]{3} kWh");
    assertThat(browser.findElement(By.id("stat-today")).getText()).matches("[0-9]+\\.[0-9]{3} kWh");
    shot("overview");
  }

  @Test
  @Order(2)
  void aVmCreatedFromTheFormRuns() {
    go("#/vms/new");
    fill("f-name", "web1");
    fill("f-cpus", "1");
    fill("f-memoryMib", "512");
    new Select(browser.findElement(By.id("f-image"))).selectByValue("img1");
    new Select(browser.findElement(By.id("f-network"))).selectByValue("net1");
    fill("f-labels", "app=web");
    shot("vm-create");
    browser.findElement(By.id("f-submit")).click();
    // The VM page follows the VM live (the journal stream), without a reload.
    untilText(By.cssSelector("main h1 + p .badge"), "RUNNING");
    assertThat(corral.vm("web1").get("state").asText()).isEqualTo("RUNNING");
    shot("vm");
  }

  @Test
  @Order(3)
  void aBadValueShowsTheFieldsErrorAndCreatesNothing() {
    go("#/vms/new");
    fill("f-name", "bad1");
    fill("f-cpus", "1");
    fill("f-memoryMib", "0");
    browser.findElement(By.id("f-submit")).click();
    WebElement error = until(() -> {
      WebElement e = browser.findElement(By.id("f-memoryMib-error"));
      return e.getText().isEmpty() ? null : e;
    });
    assertThat(error.getText()).contains("MiB");
    assertThat(browser.findElement(By.id("f-memoryMib")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findElement(By.id("form-error")).getText()).contains("memoryMib");
    shot("vm-create-error");
    assertThat(corral.api.get("/api/v1/vms/bad1").status()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void aMigrationFromTheVmPageMovesIt() {
    String from = corral.untilVmState("web1", "RUNNING").get("host").asText();
    String to = RunningCorral.HOSTS.stream().filter(h -> !h.equals(from)).findFirst().orElseThrow();
    go("#/vms/web1");
    untilText(By.id("vm-host-now"), from);
    // Its own CPU and its host's, as charts.
    until(() -> browser.findElements(By.cssSelector("#vm-charts figure.chart canvas")).size() == 2 ? Boolean.TRUE : null);
    browser.findElement(By.id("vm-migrate")).click();
    WebElement select = until(() -> browser.findElement(By.id("migrate-to")));
    until(() -> select.findElements(By.tagName("option")).size() > 1 ? select : null);
    new Select(select).selectByValue(to);
    shot("vm-migrate-confirm");
    browser.findElement(By.id("confirm-ok")).click();
    untilText(By.id("vm-host-now"), to);
    assertThat(corral.untilVmState("web1", "RUNNING").get("host").asText()).isEqualTo(to);
  }

  @Test
  @Order(5)
  void aHostInMaintenanceSeesItsVmsLeave() {
    String host = corral.untilVmState("web1", "RUNNING").get("host").asText();
    go("#/hosts");
    until(() -> browser.findElement(By.linkText(host)));
    shot("hosts");
    go("#/hosts/" + host);
    until(() -> browser.findElement(By.linkText("web1")));
    browser.findElement(By.id("host-maintenance")).click();
    until(() -> browser.findElement(By.id("confirm-ok"))).click();
    // The Guardian evacuates the host; the page shows it emptied, live.
    untilText(By.id("host-vms"), "No VM on this host.");
    assertThat(corral.untilVm("web1", "left " + host, v -> !host.equals(v.get("host").asText())
        && "RUNNING".equals(v.get("state").asText())).get("host").asText()).isNotEqualTo(host);
    shot("host");
    assertThat(corral.api.post("/api/v1/hosts/" + host + "/maintenance", "{\"enabled\": false}").status()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void anEventAppearsLiveWithoutReload() {
    go("#/events");
    until(() -> browser.findElement(By.id("event-list")));
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("window.__notReloaded = true");
    assertThat(corral.api.post("/api/v1/vms", RunningCorral.vmBody("live1", "true")).status()).isEqualTo(201);
    untilText(By.id("event-list"), "live1");
    assertThat((Boolean) js.executeScript("return window.__notReloaded === true")).as("the page was not reloaded").isTrue();
    shot("events");
  }

  @Test
  @Order(7)
  void theEnergyPageShowsChartsWithData() {
    go("#/energy");
    List<WebElement> charts = until(() -> {
      List<WebElement> c = browser.findElements(By.cssSelector("#energy-charts figure.chart canvas"));
      return c.size() == 4 ? c : null;
    });
    assertThat(charts).hasSize(4);
    for (WebElement f : browser.findElements(By.cssSelector("#energy-charts figure.chart"))) {
      assertThat(Integer.parseInt(f.getAttribute("data-points"))).as(f.getText()).isPositive();
    }
    shot("energy");
  }

  @Test
  @Order(8)
  void theOtherPagesRender() {
    for (String[] p : new String[][] {{"#/vms", "VMs"}, {"#/ha", "High availability"}, {"#/users", "Users"}, {"#/overview", "Overview"},
        {"#/hosts", "Hosts"}, {"#/hosts/t01", "Host t01"}, {"#/vms/new", "Create a VM"}, {"#/vms/web1", "VM web1"}, {"#/energy", "Energy"},
        {"#/events", "Events"}}) {
      go(p[0]);
      untilText(By.cssSelector("main h1"), p[1]);
      everyControlIsLabelled(p[0]);
      if (p[0].equals("#/vms") || p[0].equals("#/ha") || p[0].equals("#/users")) {
        shot(p[0].substring(2));
      }
    }
    // The clusters page: a declared cluster, its roles and its members, as tables.
    assertThat(corral.api.post("/api/v1/clusters", "{\"name\": \"demo\", \"roles\": [{\"name\": \"web\", \"count\": 1}]}").status())
        .isEqualTo(200);
    go("#/clusters");
    untilText(By.cssSelector("main h1"), "Clusters");
    untilText(By.cssSelector("main section h2"), "Cluster demo");
    until(() -> browser.findElements(By.cssSelector("main table")).size() >= 2 ? true : null);
    everyControlIsLabelled("#/clusters");
    shot("clusters");
    // A token made on the users page is shown once, and works.
    go("#/users");
    fill("t-description", "from the page");
    browser.findElement(By.id("t-submit")).click();
    String secret = until(() -> {
      List<WebElement> e = browser.findElements(By.id("t-secret"));
      return e.isEmpty() ? null : e.get(0).getText();
    });
    try (ApiClient asToken = new ApiClient(corral.runtime.port(), secret)) {
      assertThat(asToken.get("/api/v1/whoami").json().get("name").asText()).isEqualTo("ops");
    }
    // Narrow window: the menu folds behind a button, the page still works.
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(420, 800));
    go("#/overview");
    until(() -> browser.findElement(By.id("stat-hosts")));
    assertThat(browser.findElement(By.id("menu-toggle")).isDisplayed()).isTrue();
    shot("overview-narrow");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
  }

  @Test
  @Order(9)
  void aHostGroupsAutomationIsChangedFromTheEnergyPage() {
    go("#/energy");
    until(() -> browser.findElement(By.cssSelector("select[aria-label='default automation']")));
    fill("group-labels", "rack=r1");
    new Select(browser.findElement(By.id("group-level"))).selectByValue("partial");
    browser.findElement(By.id("group-add-submit")).click();
    By group = By.cssSelector("select[aria-label='automation of hosts with rack=r1']");
    until(() -> "partial".equals(new Select(browser.findElement(group)).getFirstSelectedOption().getText()) ? true : null);
    assertThat(groups()).singleElement().satisfies(g -> assertThat(g.get("automation").asText()).isEqualTo("partial"));
    // Changed in place from its own control: the API has it, and the redrawn page shows it.
    new Select(browser.findElement(group)).selectByValue("off");
    until(() -> "off".equals(groups().get(0).get("automation").asText()) ? true : null);
    until(() -> "off".equals(new Select(browser.findElement(group)).getFirstSelectedOption().getText()) ? true : null);
    everyControlIsLabelled("#/energy");
    shot("energy-automation");
    // A bad value: the API's error, naming the field, and nothing added.
    fill("group-labels", "rack");
    browser.findElement(By.id("group-add-submit")).click();
    untilText(By.id("toast"), "(labels)");
    assertThat(groups()).hasSize(1);
    // Removed, with confirmation: its hosts are back at the default level.
    browser.findElement(By.cssSelector("button[aria-label='remove the group rack=r1']")).click();
    until(() -> browser.findElement(By.id("confirm-ok"))).click();
    until(() -> groups().isEmpty() ? true : null);
    until(() -> browser.findElements(group).isEmpty() ? true : null);
  }

  private JsonNode groups() {
    return corral.api.get("/api/v1/optimizer").json().get("groups");
  }

  @Test
  @Order(10)
  void theHighAvailabilityPageShowsAVmsServiceChecksAndTheNotificationsSent() {
    ApiClient.Reply created = corral.api.post("/api/v1/vms", """
        {"name": "svc1", "cpus": 1, "memoryMib": 256, "hold": true, "services": [
          {"name": "web", "kind": "HTTP", "port": 80, "path": "/health", "after": ["db"]},
          {"name": "db", "kind": "TCP", "port": 5432},
          {"name": "app", "kind": "SCRIPT", "command": ["/usr/local/bin/check-app", "-q"]}]}""");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    go("#/ha");
    By checks = By.cssSelector("section[aria-label='Service checks'] table");
    untilText(checks, "svc1");
    List<String> rows = browser.findElements(By.cssSelector("section[aria-label='Service checks'] tbody tr")).stream()
        .map(WebElement::getText).toList();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).contains("svc1", "HOLD", "web", "http", "http port 80 /health", "db");
    assertThat(rows.get(1)).contains("db", "tcp port 5432");
    assertThat(rows.get(2)).contains("app", "script", "/usr/local/bin/check-app -q");
    // The service loop's state for each (the VM is on HOLD: none checked yet), as GET /vms gives it.
    assertThat(rows).allSatisfy(r -> assertThat(r).contains("UNCHECKED", "not checked yet"));
    untilText(By.cssSelector("section[aria-label='Notifications sent']"), "None sent");
    everyControlIsLabelled("#/ha");
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
        browser.findElement(By.cssSelector("section[aria-label='Service checks']")));
    shot("ha-services");
    assertThat(corral.api.delete("/api/v1/vms/svc1").status()).isEqualTo(202);
  }

  /**
   * The optimizer recommends (the lab's default level) switching off the hosts that stay empty;
   * "Apply this plan" hands exactly the plan shown to the executor, and the hosts go off. A plan
   * that changed between showing and applying is refused (the page says so); then it is shown
   * again and applied.
   */
  @Test
  @Order(11)
  void aRecommendedPlanIsAppliedFromTheEnergyPage() {
    String empty = until(() -> {
      for (JsonNode plan : corral.api.get("/api/v1/plan").json().get("plans")) {
        for (JsonNode a : plan.get("actions")) {
          if (a.get("action").asText().startsWith("power off ")) {
            return a.get("subject").asText();
          }
        }
      }
      return null;
    });
    until(() -> {
      go("#/overview");
      go("#/energy");
      WebElement apply = until(() -> browser.findElement(By.id("plan-apply")));
      if (!browser.findElement(By.cssSelector("main")).getText().contains("power off " + empty)) {
        return null; // not recommended yet: the host has not been empty for long enough
      }
      ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", apply);
      shot("energy-plan");
      apply.click();
      until(() -> browser.findElement(By.id("confirm-ok"))).click();
      untilText(By.id("toast"), "plan");
      return browser.findElement(By.id("toast")).getText().contains("applied") ? true : null;
    });
    until(() -> List.of("POWERING_OFF", "OFF").contains(corral.host(empty).get("state").asText()) ? true : null);
    assertThat(corral.api.list("/api/v1/events?last=200")).anySatisfy(e ->
        assertThat(e.get("message").asText()).matches("[0-9]+ actions taken from plan [0-9a-f]{8}"));
  }

  /** A host crashes: the Guardian's notifications (host down, fenced) are listed as sent to the webhook, without its key. */
  @Test
  @Order(12)
  void theNotificationsSentForACrashedHostAreListed() {
    String victim = RunningCorral.HOSTS.stream().filter(h -> "UP".equals(corral.host(h).get("state").asText())).findFirst().orElseThrow();
    assertThat(corral.api.post("/api/v1/sim/hosts/" + victim + "/crash", "").status()).isEqualTo(200);
    until(() -> {
      for (JsonNode n : corral.api.get("/api/v1/notifications").json()) {
        if (n.get("event").asText().equals("host.down") && n.get("subject").asText().equals(victim)
            && n.get("status").asText().equals("sent")) {
          return true;
        }
      }
      return null;
    });
    go("#/overview");
    go("#/ha");
    By sent = By.cssSelector("section[aria-label='Notifications sent'] tbody");
    untilText(sent, "host.down");
    String rows = browser.findElement(sent).getText();
    assertThat(rows).contains(victim, "webhook", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook", "sent")
        .doesNotContain("hook-key-for-tests");
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
        browser.findElement(By.cssSelector("section[aria-label='Notifications sent']")));
    shot("ha-notifications");
  }

  @Test
  @Order(13)
  void aDeveloperSeesOnlyWhatTheApiLetsThemSee() {
    assertThat(corral.api.post("/api/v1/users", "{\"name\": \"dev\", \"role\": \"developer\", \"password\": \"" + PASSWORD + "\"}")
        .status()).isEqualTo(201);
    browser.findElement(By.id("logout")).click();
    until(() -> browser.findElement(By.id("login-user")));
    login("dev", PASSWORD);
    assertThat(browser.findElement(By.linkText("VMs")).isDisplayed()).isTrue();
    assertThat(browser.findElements(By.linkText("Hosts")).stream().filter(WebElement::isDisplayed)).isEmpty();
    go("#/vms");
    untilText(By.id("vm-list"), "No VM matches.");
    // A page the role does not allow shows the API's own refusal.
    go("#/hosts");
    untilText(By.cssSelector("main"), "administrators");
    shot("developer-hosts-refused");
  }

  // ---- helpers ----

  void go(String hash) {
    ((JavascriptExecutor) browser).executeScript("location.hash = arguments[0]", hash);
  }

  void fill(String id, String text) {
    WebElement e = until(() -> browser.findElement(By.id(id)));
    e.clear();
    e.sendKeys(text);
  }

  void untilText(By by, String text) {
    until(() -> {
      List<WebElement> e = browser.findElements(by);
      return !e.isEmpty() && e.get(0).getText().contains(text) ? e.get(0) : null;
    });
  }

  /** Polls until {@code f} gives a non-null value without throwing (bounded: 30 s). */
  <T> T until(Supplier<T> f) {
    try {
      return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(f::get, java.util.Objects::nonNull);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      shot("failed-" + System.nanoTime()); // what the page showed, for the report
      throw e;
    }
  }

  void shot(String name) {
    try {
      Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  JsonNode vm(String name) {
    return corral.vm(name);
  }
}
