package org.corral.drivers.guest.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.ssh.TestSshServer;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SshGuestExec against an embedded SSH server whose commands run in the real /bin/sh, as a real
 * sshd does, so that quoting is checked end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshGuestExecTest {
  private static final Duration T = Duration.ofSeconds(10);
  private TestSshServer server;
  private SshGuestExec guest;
  private String uri;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = TestSshServer.start(dir);
    server.on("hang", TestSshServer.HANG).otherwise(TestSshServer.SHELL);
    guest = new SshGuestExec(server.clientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    uri = "ssh://root@127.0.0.1:" + server.port() + "?" + server.keyQuery();
  }

  @AfterAll
  void stop() throws Exception {
    guest.close();
    server.close();
  }

  private ExecResult exec(List<String> argv, Duration timeout) {
    return guest.exec(uri, argv, timeout).toCompletableFuture().join();
  }

  @Test
  void argumentsArriveExactlyAsGiven() {
    ExecResult r = exec(List.of("printf", "%s|", "a b", "it's", "$(echo injected)", "*", "x;y", ""), T);
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("a b|it's|$(echo injected)|*|x;y||");
  }

  @Test
  void exitCodeAndStderrAreCaptured() {
    ExecResult r = exec(List.of("sh", "-c", "echo out; echo oops >&2; exit 7"), T);
    assertThat(r).isEqualTo(new ExecResult(7, "out\n", "oops\n"));
  }

  @Test
  void commandPastTheTimeoutFailsWithTimeout() {
    Throwable t = catchThrowable(() -> exec(List.of("hang"), Duration.ofSeconds(1)));
    assertThat(DriverException.of(t).kind()).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void badInputFailsTheStageNamingTheField() {
    Throwable noUser = catchThrowable(() -> guest.exec("ssh://127.0.0.1:22", List.of("true"), T)
        .toCompletableFuture().join());
    assertThat(noUser.getCause()).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("guest.uri"));
    Throwable noArgv = catchThrowable(() -> exec(List.of(), T));
    assertThat(noArgv.getCause()).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("guest.argv"));
  }

  @Test
  void commandReadingStdinSeesEndOfInput() {
    assertThat(exec(List.of("cat"), T)).isEqualTo(new ExecResult(0, "", ""));
  }

  @Test
  void callsAfterCloseFailTheStageInsteadOfThrowing() {
    SshGuestExec closed = new SshGuestExec(server.clientSettings(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    closed.close();
    var stage = closed.exec(uri, List.of("true"), T);
    assertThat(DriverException.of(catchThrowable(() -> stage.toCompletableFuture().join())).kind())
        .isEqualTo(Kind.REJECTED);
  }

  @Test
  void concurrentCallsEachGetTheirOwnResult() {
    List<java.util.concurrent.CompletableFuture<ExecResult>> calls = java.util.stream.IntStream.range(0, 6)
        .mapToObj(i -> guest.exec(uri, List.of("sh", "-c", "echo $0; exit $0", Integer.toString(i)), T)
            .toCompletableFuture())
        .toList();
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).join()).isEqualTo(new ExecResult(i, i + "\n", ""));
    }
  }
}
