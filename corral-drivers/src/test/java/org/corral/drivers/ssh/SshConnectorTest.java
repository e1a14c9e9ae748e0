package org.corral.drivers.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The shared SSH client against an embedded MINA server on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshConnectorTest {
  private static final Duration T = Duration.ofSeconds(10);
  private TestSshServer server;
  private SshConnector ssh;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = TestSshServer.start(dir);
    server.on("hang", TestSshServer.HANG)
        .on("report", (line, out, err) -> {
          out.print("to stdout");
          err.print("to stderr");
          return 3;
        });
    ssh = new SshConnector(server.clientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  @AfterAll
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  private SshEndpoint endpoint(Path identity, Path knownHosts) {
    return new SshEndpoint("root", "127.0.0.1", server.port(), identity, knownHosts);
  }

  @Test
  void capturesExitCodeStdoutAndStderr() {
    ExecResult r = ssh.run(endpoint(null, null), "report", T);
    assertThat(r).isEqualTo(new ExecResult(3, "to stdout", "to stderr"));
  }

  @Test
  void keyTheServerDoesNotKnowIsAuth() {
    assertThatThrownBy(() -> ssh.run(endpoint(server.strangerIdentity(), null), "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH))
        .hasMessageContaining("key was not accepted");
    assertThat(server.commands()).doesNotContain("never-run");
  }

  @Test
  void unknownHostKeyIsRefusedNotLearned() throws Exception {
    int before = server.commands().size();
    assertThatThrownBy(() -> ssh.run(endpoint(null, server.emptyKnownHosts()), "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH))
        .hasMessageContaining("is not in").hasMessageContaining("ssh-keyscan");
    assertThat(java.nio.file.Files.readString(server.emptyKnownHosts())).as("nothing added").isEmpty();
    assertThat(server.commands()).hasSize(before);
  }

  @Test
  void changedHostKeyIsRefused() {
    assertThatThrownBy(() -> ssh.run(endpoint(null, server.knownHostsWithOtherKey()), "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH))
        .hasMessageContaining("CHANGED");
  }

  @Test
  void missingKnownHostsFileIsRefused() {
    assertThatThrownBy(() -> ssh.run(endpoint(null, Path.of("/nonexistent/known_hosts")), "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH))
        .hasMessageContaining("missing or unreadable");
  }

  @Test
  void commandPastTheDeadlineIsTimeout() {
    assertThatThrownBy(() -> ssh.run(endpoint(null, null), "hang", Duration.ofMillis(1500)))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
        .hasMessageContaining("timed out after 1500ms");
  }

  @Test
  void closedPortIsUnreachable() throws Exception {
    int closed;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    SshEndpoint nobody = new SshEndpoint("root", "127.0.0.1", closed, null, null);
    assertThatThrownBy(() -> ssh.run(nobody, "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
        .hasMessageContaining("connection refused");
  }

  @Test
  void missingIdentityIsAuth() {
    assertThatThrownBy(() -> ssh.run(endpoint(Path.of("/nonexistent/id"), null), "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH))
        .hasMessageContaining("/nonexistent/id");
  }

  @Test
  void fileWithoutAUsableKeyIsAuthAndSaysWhich(@TempDir Path dir) throws Exception {
    Path notAKey = java.nio.file.Files.writeString(dir.resolve("id_empty"), "");
    assertThatThrownBy(() -> ssh.run(endpoint(notAKey, null), "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH))
        .hasMessageContaining("no usable private key").hasMessageContaining("ecdsa");
  }

  @Test
  void callsReturnBeforeTheCommandFinishes() {
    var stage = ssh.exec(endpoint(null, null), "hang", Duration.ofSeconds(1));
    assertThat(stage.toCompletableFuture().isDone()).as("exec returned at once, still running").isFalse();
    assertThatThrownBy(() -> stage.toCompletableFuture().join()).hasCauseInstanceOf(DriverException.class);
  }

  @Test
  void unknownHostIsUnreachable() {
    SshEndpoint nowhere = new SshEndpoint("root", "no-such-host.invalid", 22, null, null);
    assertThatThrownBy(() -> ssh.run(nowhere, "report", T))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
        .hasMessageContaining("unknown host no-such-host.invalid");
  }
}
