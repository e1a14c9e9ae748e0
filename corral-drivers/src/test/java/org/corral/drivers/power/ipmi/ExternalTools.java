package org.corral.drivers.power.ipmi;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds programs the IPMI tests run. On a developer machine without them the tests are skipped;
 * on CI ({@code CI=true}) a missing program is a failure naming the Debian package, so that a
 * broken CI image cannot turn the real-BMC tests into silent skips. Shared through corral-drivers'
 * test-jar.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** The program's path on PATH; skips the test (fails it on CI) when it is missing. */
  public static String require(String program, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    String message = program + " is not installed; apt-get install " + debianPackage;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message + " (CI=true: these tests must run on CI)");
    }
    Assumptions.abort(message);
    return null;
  }
}
