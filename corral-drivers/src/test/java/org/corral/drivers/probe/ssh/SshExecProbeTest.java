package org.corral.drivers.probe.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.probe.ProbeResult;
import org.corral.drivers.ssh.TestSshServer;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The exec+ssh probe and ServiceScript against an embedded MINA SSH server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshExecProbeTest {
  private static final Duration T = Duration.ofSeconds(10);
  private TestSshServer server;
  private SshExecProbe probe;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = TestSshServer.start(dir);
    server.on("/srv/check-db main", TestSshServer.exit(0, ""))
        .on("/srv/check-db start main", TestSshServer.exit(0, ""))
        .on("/srv/check-db stop main", TestSshServer.exit(0, ""))
        .on("/srv/check-db restart main", TestSshServer.exit(1, "restart refused\n"))
        .on("/srv/failing-check", TestSshServer.exit(3, "db not ready\nsecond line\n"))
        .on("/srv/hanging-check", TestSshServer.HANG);
    probe = new SshExecProbe(server.clientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  @AfterAll
  void stop() throws Exception {
    probe.close();
    server.close();
  }

  private String uri(String pathAndQuery) {
    String sep = pathAndQuery.contains("?") ? "&" : "?";
    return "exec+ssh://root@127.0.0.1:" + server.port() + pathAndQuery + sep + server.keyQuery();
  }

  private ProbeResult check(String uri, Duration timeout) {
    return probe.check(uri, timeout).toCompletableFuture().join();
  }

  @Test
  void exitZeroIsHealthy() {
    ProbeResult r = check(uri("/srv/check-db?args=main"), T);
    assertThat(r.healthy()).isTrue();
    assertThat(server.commands()).contains("/srv/check-db main");
  }

  @Test
  void nonZeroExitIsUnhealthyWithTheFirstStderrLine() {
    ProbeResult r = check(uri("/srv/failing-check"), T);
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("exit 3: db not ready");
  }

  @Test
  void hangingScriptIsUnhealthyAfterTheTimeout() {
    ProbeResult r = check(uri("/srv/hanging-check"), Duration.ofSeconds(1));
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).contains("timed out after 1s");
  }

  @Test
  void refusedHostKeyIsUnhealthyNotAFailure() {
    String u = "exec+ssh://root@127.0.0.1:" + server.port() + "/srv/check-db?args=main&identity=" + server.identity()
        + "&knownHosts=" + server.emptyKnownHosts();
    ProbeResult r = check(u, T);
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).contains("host key refused");
  }

  @Test
  void startStopRestartRunTheScriptWithTheVerb() {
    ServiceScript scripts = probe.scripts();
    String u = uri("/srv/check-db?args=main");
    assertThat(scripts.start(u, T).toCompletableFuture().join().ok()).isTrue();
    assertThat(scripts.stop(u, T).toCompletableFuture().join().ok()).isTrue();
    ExecResult restart = scripts.restart(u, T).toCompletableFuture().join();
    assertThat(restart).isEqualTo(new ExecResult(1, "", "restart refused\n"));
    assertThat(server.commands()).containsSubsequence("/srv/check-db start main", "/srv/check-db stop main",
        "/srv/check-db restart main");
  }

  @Test
  void missingScriptPathFailsTheStageNamingTheField() {
    Throwable t = catchThrowable(() -> probe.check("exec+ssh://root@127.0.0.1:22", T).toCompletableFuture().join());
    assertThat(t.getCause()).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("probe.target")).hasMessageContaining("no script path");
  }
}
