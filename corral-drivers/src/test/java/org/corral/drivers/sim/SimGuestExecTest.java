package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.drivers.sim.SimLab.failure;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.time.Duration;
import java.util.List;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.junit.jupiter.api.Test;

class SimGuestExecTest {
  private final SimLab lab = new SimLab(SimLatencies.INSTANT, "node1");
  private final SimGuestExec exec = new SimGuestExec(lab.dc);
  private final HypervisorConnection node1 = lab.connect("node1");
  private final String target = lab.dc.uriOf("node1") + "#web1";

  @Test
  void aRunningDomainAnswersExitZeroByDefault() {
    lab.run(node1, spec("web1", 1, 512));

    assertThat(join(exec.exec(target, List.of("true"), Duration.ofSeconds(5)))).isEqualTo(new ExecResult(0, "", ""));
  }

  @Test
  void aScriptAnswersWithTheArgv() {
    lab.run(node1, spec("web1", 1, 512));
    exec.onExec("web1", argv -> new ExecResult(3, String.join(" ", argv), "no"));

    assertThat(join(exec.exec(target, List.of("echo", "hi"), Duration.ofSeconds(5))))
        .isEqualTo(new ExecResult(3, "echo hi", "no"));
  }

  @Test
  void aStoppedOrMissingDomainIsUnreachable() {
    assertThat(failure(exec.exec(target, List.of("true"), Duration.ofSeconds(5))).kind()).isEqualTo(Kind.UNREACHABLE);
    lab.run(node1, spec("web1", 1, 512));
    join(node1.destroy("web1"));
    assertThat(failure(exec.exec(target, List.of("true"), Duration.ofSeconds(5))).kind()).isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void aGuestOnAPartitionedHostStillAnswers() {
    lab.run(node1, spec("web1", 1, 512));
    lab.dc.partitionHost("node1", true);

    assertThat(join(exec.exec(target, List.of("true"), Duration.ofSeconds(5))).ok()).isTrue();
  }

  @Test
  void aTargetWithoutDomainOrAnEmptyArgvIsRejected() {
    assertThat(failure(exec.exec(lab.dc.uriOf("node1"), List.of("true"), Duration.ofSeconds(5))).kind())
        .isEqualTo(Kind.REJECTED);
    assertThat(failure(exec.exec(target, List.of(), Duration.ofSeconds(5))).kind()).isEqualTo(Kind.REJECTED);
  }

  @Test
  void aHungGuestAnswersNoPingAndNoExecUntilItRecoversOrRestarts() {
    lab.run(node1, spec("web1", 1, 512));
    assertThat(join(exec.ping(target, Duration.ofSeconds(10)))).isNull();

    lab.dc.hangGuest("node1", "web1", true);
    assertThat(failure(exec.ping(target, Duration.ofSeconds(10))).kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(failure(exec.exec(target, List.of("true"), Duration.ofSeconds(5))).kind()).isEqualTo(Kind.TIMEOUT);
    lab.dc.hangGuest("node1", "web1", false);
    assertThat(join(exec.ping(target, Duration.ofSeconds(10)))).isNull();

    lab.dc.hangGuest("node1", "web1", true);
    join(node1.destroy("web1"));
    join(node1.start("web1"));
    assertThat(join(exec.ping(target, Duration.ofSeconds(10)))).as("a new run answers").isNull();
  }
}
