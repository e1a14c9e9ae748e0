package org.corral.controller.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;
import org.corral.drivers.probe.Probe;
import org.corral.drivers.probe.ProbeResult;
import org.corral.model.snapshot.ServiceObservation;
import org.corral.model.snapshot.ServiceObservation.Status;
import org.corral.model.vm.ServiceCheck;
import org.junit.jupiter.api.Test;

/** Each check kind through its driver, with scripted answers; a check that cannot run is UNKNOWN. */
class ServiceChecksTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final String GUEST = "sim://lab/node1#web1";
  private final List<String> asked = new ArrayList<>();
  private ExecResult answer = new ExecResult(0, "", "");
  private boolean reachable = true;

  private final GuestExec exec = new GuestExec() {
    @Override
    public Set<String> schemes() {
      return Set.of("sim");
    }

    @Override
    public CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout) {
      asked.add(targetUri + " " + String.join(" ", argv));
      return reachable ? CompletableFuture.completedFuture(answer)
          : CompletableFuture.failedFuture(new DriverException(DriverException.Kind.UNREACHABLE, "domain 'web1' is not running"));
    }
  };
  private final Probe probe = new Probe() {
    @Override
    public Set<String> schemes() {
      return Set.of("tcp", "http");
    }

    @Override
    public CompletionStage<ProbeResult> check(String targetUri, Duration timeout) {
      asked.add(targetUri);
      return CompletableFuture.completedFuture(reachable ? ProbeResult.healthy("connected", Duration.ZERO)
          : ProbeResult.unhealthy("connection refused", Duration.ZERO));
    }
  };
  private final ServiceChecks checks = new ServiceChecks(new Drivers().guest(exec).probe(probe), Duration.ofSeconds(5));

  private ServiceObservation check(ServiceCheck c, String address) {
    return checks.check("web1", GUEST, address, c, AT).toCompletableFuture().join();
  }

  @Test
  void aScriptRunsWithNoArgumentAndIsRestartedWithOne() {
    ServiceCheck web = ServiceCheck.script("web", List.of("/etc/corral/checks/web"), List.of());
    answer = new ExecResult(1, "nginx is not running\n", "");

    ServiceObservation o = check(web, null);
    checks.act(GUEST, web, "restart").toCompletableFuture().join();

    assertThat(o).isEqualTo(new ServiceObservation("web1", "web", Status.CRITICAL, "exit 1: nginx is not running", AT));
    assertThat(asked).containsExactly(GUEST + " /etc/corral/checks/web", GUEST + " /etc/corral/checks/web restart");
  }

  @Test
  void aNagiosPluginsWarningIsKeptWithItsFirstLine() {
    answer = new ExecResult(1, "DISK WARNING - free space: / 15%\nperfdata", "");

    ServiceObservation o = check(ServiceCheck.nagios("disk", List.of("/p/check_disk", "-w", "20%"), List.of(), List.of()), null);

    assertThat(o.status()).isEqualTo(Status.WARNING);
    assertThat(o.reason()).isEqualTo("exit 1: DISK WARNING - free space: / 15%");
  }

  @Test
  void tcpAndHttpGoThroughTheProbesAtTheVmsAddress() {
    assertThat(check(ServiceCheck.tcp("ssh", 22, List.of(), List.of()), "10.0.0.5").status()).isEqualTo(Status.OK);
    assertThat(check(ServiceCheck.http("api", 8080, "/health", List.of(), List.of()), "10.0.0.5").status()).isEqualTo(Status.OK);
    reachable = false;
    assertThat(check(ServiceCheck.tcp("ssh", 22, List.of(), List.of()), "10.0.0.5"))
        .extracting(ServiceObservation::status, ServiceObservation::reason).containsExactly(Status.CRITICAL, "connection refused");

    assertThat(asked).containsExactly("tcp://10.0.0.5:22", "http://10.0.0.5:8080/health", "tcp://10.0.0.5:22");
    assertThat(check(ServiceCheck.tcp("ssh", 22, List.of(), List.of()), null).status()).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void aGuestThatCannotBeReachedIsUnknownWithTheReason() {
    reachable = false;

    ServiceObservation o = check(ServiceCheck.script("web", List.of("/c/web"), List.of()), null);

    assertThat(o.status()).isEqualTo(Status.UNKNOWN);
    assertThat(o.reason()).contains("could not run the check", "not running");
  }

  @Test
  void aServiceWithoutARestartCommandCannotBeRestarted() {
    assertThat(checks.act(GUEST, ServiceCheck.tcp("ssh", 22, List.of(), List.of()), "restart").toCompletableFuture())
        .isCompletedExceptionally();
  }

  @Test
  void aLibvirtHostsGuestIsReachedThroughItsAgent() {
    assertThat(ServiceChecks.guestTarget("sim://lab/node1", "web1")).isEqualTo("sim://lab/node1#web1");
    assertThat(ServiceChecks.guestTarget("qemu+ssh://root@node1/system", "web-1"))
        .isEqualTo("qemu-ga://qemu%2Bssh%3A%2F%2Froot%40node1%2Fsystem#web-1");
  }
}
