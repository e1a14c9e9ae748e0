package org.corral.drivers.power.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.corral.drivers.ssh.TestSshServer;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SshPowerDriver against an embedded MINA SSH server that records the commands it receives. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshPowerDriverTest {
  private TestSshServer server;
  private SshPowerDriver driver;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = TestSshServer.start(dir);
    server.on("shutdown -h now", TestSshServer.exit(0, ""))
        .on("systemctl poweroff '--message=maintenance window'", TestSshServer.exit(0, ""))
        .on("/usr/local/bin/refuse-poweroff", TestSshServer.exit(1, "Operation not permitted\nmore\n"))
        .on("/usr/local/bin/slow-poweroff", TestSshServer.HANG)
        .on("poweroff", TestSshServer.DROP_CONNECTION)
        .on("systemctl restart libvirtd", TestSshServer.exit(0, ""))
        .on("systemctl restart virtqemud", TestSshServer.exit(5, "Failed to restart virtqemud.service: Unit not found.\n"));
    driver = new SshPowerDriver(server.clientSettings(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  @AfterAll
  void stop() throws Exception {
    driver.close();
    server.close();
  }

  private PowerTarget target(String query) {
    return new PowerTarget("node1", "ssh://root@127.0.0.1:" + server.port() + "?" + query, null);
  }

  private static DriverException failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      return DriverException.of(e);
    }
    throw new AssertionError("expected the call to fail");
  }

  @Test
  void gracefulOffRunsShutdownByDefault() {
    driver.powerOff(target(server.keyQuery()), false).toCompletableFuture().join();
    assertThat(server.commands()).contains("shutdown -h now");
  }

  @Test
  void configuredCommandIsSentAsOneSafelyQuotedLine() {
    driver.powerOff(target(server.keyQuery() + "&command=systemctl&command=poweroff"
        + "&command=--message%3Dmaintenance%20window"), false).toCompletableFuture().join();
    assertThat(server.commands()).contains("systemctl poweroff '--message=maintenance window'");
  }

  @Test
  void connectionDroppedByTheShutdownCountsAsAccepted() {
    driver.powerOff(target(server.keyQuery() + "&command=poweroff"), false).toCompletableFuture().join();
    assertThat(server.commands()).contains("poweroff");
  }

  @Test
  void nonZeroExitIsRejectedWithTheFirstErrorLine() {
    DriverException e = failure(driver.powerOff(target(server.keyQuery() + "&command=/usr/local/bin/refuse-poweroff"),
        false));
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("exit 1: Operation not permitted").doesNotContain("more");
  }

  @Test
  void softFencingRestartsLibvirtdByDefault() {
    driver.restartHypervisor(target(server.keyQuery())).toCompletableFuture().join();
    assertThat(server.commands()).contains("systemctl restart libvirtd");
  }

  @Test
  void softFencingRunsTheConfiguredCommandAndAFailedRestartIsRejectedWithItsError() {
    DriverException e = failure(driver.restartHypervisor(target(server.keyQuery()
        + "&command=systemctl&command=restart&command=virtqemud")));
    assertThat(server.commands()).contains("systemctl restart virtqemud");
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("exited 5: Failed to restart virtqemud.service: Unit not found.");
  }

  @Test
  void softFencingOfAHostWhoseSshDoesNotAnswerFails() {
    DriverException e = failure(driver.restartHypervisor(new PowerTarget("node1", "ssh://root@127.0.0.1:1?" + server.keyQuery(), null)));
    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void wrongKeyIsAuth() {
    DriverException e = failure(driver.powerOff(target("identity=" + server.strangerIdentity()
        + "&knownHosts=" + server.knownHosts()), false));
    assertThat(e.kind()).isEqualTo(Kind.AUTH);
  }

  @Test
  void unknownHostKeyIsRefused() {
    DriverException e = failure(driver.powerOff(target("identity=" + server.identity()
        + "&knownHosts=" + server.emptyKnownHosts()), false));
    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).contains("host key refused");
  }

  @Test
  void commandThatNeverReturnsTimesOut() {
    DriverException e = failure(driver.powerOff(target(server.keyQuery() + "&command=/usr/local/bin/slow-poweroff"),
        false));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("timed out after 3s");
  }

  @Test
  void hardOffOnAndCycleAreUnsupportedAndStatusUnknown() {
    assertThat(failure(driver.powerOff(target(server.keyQuery()), true)).kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(failure(driver.powerOn(target(server.keyQuery()))).getMessage()).contains("wol://");
    assertThat(failure(driver.cycle(target(server.keyQuery()))).kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(driver.status(target(server.keyQuery())).toCompletableFuture().join()).isEqualTo(PowerStatus.UNKNOWN);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ssh://127.0.0.1:22                                 | no user",
      "ssh://root@:22                                     | host",
      "ssh://root@node1:0                                 | port",
      "ssh://root@node1?command=shutdown%20-h%20now       | one command parameter per argument",
      "ssh://root@node1?identity=id_rsa                   | not an absolute path",
      "ssh://root@node1?cmd=poweroff                      | unknown query parameter 'cmd'",
  })
  void badUriNamesTheField(String uri, String problem) {
    CompletionStage<Void> stage = driver.powerOff(new PowerTarget("node1", uri, null), false);
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> stage.toCompletableFuture().join());
    assertThat(t.getCause()).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("power.off")).hasMessageContaining(problem);
  }
}
