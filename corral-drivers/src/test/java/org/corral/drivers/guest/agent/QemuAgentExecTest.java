package org.corral.drivers.guest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.corral.drivers.DriverException;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.libvirt.LibvirtConnection;
import org.corral.drivers.libvirt.LibvirtDriver;
import org.corral.drivers.libvirt.ReconnectBackoff;
import org.corral.model.InvalidInputException;
import org.corral.model.time.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * Guest exec. No guest agent can run here (it needs a booted VM), so the exec/poll sequence runs
 * against a scripted agent that answers as qemu-ga does; the libvirt path runs against the real
 * test driver, which has no agent and must fail clearly.
 */
class QemuAgentExecTest {
  private static final String TARGET = new AgentTarget("qemu:///system", "web-1").uri();

  /** Replies in order; records the requests. */
  private static final class ScriptedAgent implements AgentChannel {
    final Deque<String> replies = new ConcurrentLinkedDeque<>();
    final List<String> requests = new ArrayList<>();

    ScriptedAgent(String... replies) {
      this.replies.addAll(List.of(replies));
    }

    @Override
    public synchronized CompletionStage<String> command(String domain, String json, int timeoutSec) {
      requests.add(domain + " " + json);
      String r = replies.size() > 1 ? replies.poll() : replies.peek();
      return CompletableFuture.completedFuture(r);
    }
  }

  private static <T> T get(CompletionStage<T> s) throws Exception {
    try {
      return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void startsThenPollsUntilExitedAndDecodesOutput() throws Exception {
    ScriptedAgent agent = new ScriptedAgent("{\"return\":{\"pid\":77}}", "{\"return\":{\"exited\":false}}",
        "{\"return\":{\"exited\":false}}", "{\"return\":{\"exited\":true,\"exitcode\":0,\"out-data\":\"b2sK\"}}");
    var exec = new QemuAgentExec(Duration.ofMillis(1), host -> CompletableFuture.completedFuture(agent));
    ExecResult r = get(exec.exec(TARGET, List.of("/bin/echo", "ok"), Duration.ofSeconds(10)));
    assertThat(r).isEqualTo(new ExecResult(0, "ok\n", ""));
    assertThat(agent.requests).hasSize(4);
    assertThat(agent.requests.get(0)).startsWith("web-1 ").contains("guest-exec").contains("/bin/echo");
    assertThat(agent.requests.get(3)).contains("guest-exec-status").contains("77");
  }

  @Test
  void processThatNeverExitsTimesOut() {
    ScriptedAgent agent = new ScriptedAgent("{\"return\":{\"pid\":5}}", "{\"return\":{\"exited\":false}}");
    var exec = new QemuAgentExec(Duration.ofMillis(5), host -> CompletableFuture.completedFuture(agent));
    assertThatThrownBy(() -> get(exec.exec(TARGET, List.of("/bin/sleep", "1000"), Duration.ofMillis(50))))
        .isInstanceOfSatisfying(DriverException.class, e -> {
          assertThat(e.kind()).isEqualTo(DriverException.Kind.TIMEOUT);
          assertThat(e.getMessage()).contains("web-1").contains("pid 5");
        });
  }

  @Test
  void badInputIsRejectedBeforeAnyCall() {
    ScriptedAgent agent = new ScriptedAgent("{\"return\":{\"pid\":5}}");
    var exec = new QemuAgentExec(Duration.ofMillis(5), host -> CompletableFuture.completedFuture(agent));
    assertThatThrownBy(() -> get(exec.exec("ssh://root@x", List.of("/bin/true"), Duration.ofSeconds(1))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> get(exec.exec(TARGET, List.of(), Duration.ofSeconds(1))))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("argv"));
    assertThat(agent.requests).isEmpty();
  }

  @Test
  void testDriverHasNoAgentAndSaysSo() throws Exception {
    org.corral.drivers.libvirt.LibvirtTestSupport.requireLibvirt();
    try (LibvirtDriver driver = new LibvirtDriver(new VirtualClock(), ReconnectBackoff.DEFAULT)) {
      LibvirtConnection c = (LibvirtConnection) get(driver.connect("test:///default"));
      try {
        var exec = new QemuAgentExec(host -> CompletableFuture.completedFuture(c));
        String target = new AgentTarget("test:///default", "test").uri();
        assertThatThrownBy(() -> get(exec.exec(target, List.of("/bin/true"), Duration.ofSeconds(5))))
            .isInstanceOfSatisfying(DriverException.class, e -> {
              assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.UNSUPPORTED);
              assertThat(e.getMessage()).contains("'test'").contains("test:///default");
            });
        String missing = new AgentTarget("test:///default", "ghost").uri();
        assertThatThrownBy(() -> get(exec.exec(missing, List.of("/bin/true"), Duration.ofSeconds(5))))
            .isInstanceOfSatisfying(DriverException.class,
                e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.NOT_FOUND));
      } finally {
        c.close();
      }
    }
  }

  @Test
  void aPingIsOneGuestPingAndAnErrorReplyFailsIt() throws Exception {
    ScriptedAgent alive = new ScriptedAgent("{\"return\":{}}");
    var exec = new QemuAgentExec(Duration.ofMillis(1), host -> CompletableFuture.completedFuture(alive));
    assertThat(get(exec.ping(TARGET, Duration.ofSeconds(5)))).isNull();
    assertThat(alive.requests).containsExactly("web-1 {\"execute\":\"guest-ping\"}");

    ScriptedAgent broken = new ScriptedAgent("{\"error\":{\"class\":\"GenericError\",\"desc\":\"agent not connected\"}}");
    var failing = new QemuAgentExec(Duration.ofMillis(1), host -> CompletableFuture.completedFuture(broken));
    assertThatThrownBy(() -> get(failing.ping(TARGET, Duration.ofSeconds(5)))).isInstanceOf(DriverException.class)
        .hasMessageContaining("agent not connected");
  }
}
