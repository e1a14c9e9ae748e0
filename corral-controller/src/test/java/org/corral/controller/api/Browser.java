package org.corral.controller.api;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through its chromedriver (no download: Selenium Manager is
 * not used). Where either is missing the test is skipped with how to install them; with CI=true
 * it fails, since .ci/run installs both.
 */
public final class Browser {
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CORRAL_CHROMIUM", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getenv().getOrDefault("CORRAL_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private Browser() {}

  public static WebDriver open(int width, int height) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      String why = "no " + (!Files.isExecutable(CHROMIUM) ? CHROMIUM : DRIVER)
          + ": the browser tests need Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=" + width + "," + height, "--no-first-run", "--disable-extensions");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }
}
