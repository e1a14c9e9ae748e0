package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.corral.controller.Controller;
import org.corral.controller.command.VmRequest;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.config.CorralConfig;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.agent.QemuAgentExec;
import org.corral.drivers.lab.QemuLab;
import org.corral.drivers.libvirt.LibvirtConnection;
import org.corral.drivers.libvirt.LibvirtDriver;
import org.corral.drivers.libvirt.ReconnectBackoff;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.snapshot.AgentObservation;
import org.corral.model.time.SystemClock;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest-agent heartbeats through the whole controller on the QEMU lab (docs/high-availability.md,
 * "Guest-agent heartbeats"): the lab's corral.yaml with {@code guardian.heartbeat} set, the
 * Guardian on. A real guest's qemu-ga answers {@code guest-ping}; the agent is then stopped inside
 * the guest (SIGSTOP: the guest hangs as the host sees it, its domain still RUNNING), and the
 * Guardian forces the VM off with the silence as the reason and restarts it in place, where the
 * new boot's agent answers again. A domain paused with libvirt is not taken for a hung guest: it
 * is SUSPENDED, and left paused. Skipped without the lab (lab/qemu-lab up).
 */
@Tag(QemuLab.TAG)
@ExtendWith(QemuLab.Required.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuLabHeartbeatTest {
  private static final String NAME = "lab-heartbeat";
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final int MISSED = 3;

  @TempDir
  static Path home;
  private QemuLab lab;
  private SystemClock clock;
  private CorralRuntime corral;
  private Controller controller;
  private final LibvirtDriver libvirt = new LibvirtDriver(new VirtualClock(), ReconnectBackoff.DEFAULT);

  @BeforeAll
  void start() throws IOException {
    lab = QemuLab.require();
    for (int node = 1; node <= lab.uris().size(); node++) {
      lab.resetConsole(node, NAME);
    }
    String yaml = lab.configForTests();
    assertThat(yaml).as("the lab's guardian section").contains("  downAfter: 3\n");
    yaml = yaml.replace("  downAfter: 3\n", "  downAfter: 3\n  heartbeat: {interval: " + INTERVAL.toSeconds() + "s, missed: " + MISSED + "}\n");
    CorralConfig cfg = ConfigReader.parse(yaml, lab.config().toString(), Map.of());
    clock = new SystemClock("qemu-lab-heartbeat");
    corral = CorralRuntime.start(cfg, home, clock, d -> RealDrivers.register(d, clock));
    controller = corral.controller();
  }

  @AfterAll
  void stop() {
    if (corral != null) {
      vm().ifPresent(v -> controller.call(() -> controller.commands().deleteVm(NAME, "test")));
      QemuLab.await(NAME + " deleted", Duration.ofSeconds(60)).until(() -> vm().isEmpty());
      corral.close();
    }
    libvirt.close();
    if (clock != null) {
      clock.close();
    }
  }

  @Test
  @Order(1)
  void aGuestWhoseAgentStopsAnsweringIsForcedOffAndRestartedInPlace() {
    VmRequest req = new VmRequest(NAME, 1, QemuLab.GUEST_MEMORY_MIB, List.of(new DiskSpec("lab-guest", 1)), null, null, null, null,
        null, null, HaLevel.HIGH, null, "#cloud-config\n# heartbeat\n", null, null);
    controller.call(() -> controller.commands().createVm(req, "test"));
    QemuLab.await(NAME + " RUNNING", Duration.ofSeconds(90)).until(() -> vm().map(Vm::state).orElse(null) == VmState.RUNNING);
    Vm running = vm().orElseThrow();
    String uri = controller.call(() -> controller.state().host(Objects.requireNonNull(running.host())).orElseThrow().uri());
    int node = lab.node(uri);
    lab.awaitReady(node, NAME);
    QemuLab.await("the controller's heartbeat to get an answer from the agent", Duration.ofSeconds(60))
        .until(() -> agent().map(AgentObservation::lastAnswer).isPresent());

    // Stop the agent inside the guest, a second after this guest-exec's status was read.
    LibvirtConnection connection = (LibvirtConnection) QemuLab.result(libvirt.connect(uri));
    ExecResult r;
    try {
      var exec = new QemuAgentExec(u -> java.util.concurrent.CompletableFuture.completedFuture(connection));
      r = QemuLab.result(exec.exec(lab.agentTarget(node, NAME), List.of("/bin/sh", "-c",
          "(sleep 1; killall -STOP qemu-ga) </dev/null >/dev/null 2>&1 &"), Duration.ofSeconds(30)));
    } finally {
      connection.close();
    }
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    Instant stoppedAt = clock.now().plusSeconds(1);
    // Its last answer: read once a ping went unanswered (none can come after it).
    QemuLab.await("a ping unanswered", Duration.ofSeconds(30)).until(() -> agent().filter(o -> o.since().equals(running.stateSince())
        && o.missed() > 0).isPresent() || vm().filter(v -> !v.stateSince().equals(running.stateSince())).isPresent());
    Instant lastAnswerBefore = Objects.requireNonNull(agent().filter(o -> o.since().equals(running.stateSince()))
        .map(AgentObservation::lastAnswer).orElseThrow(() -> new AssertionError("restarted before a miss was read")));

    QemuLab.await(NAME + " running again after a restart", Duration.ofSeconds(120)).until(() -> vm()
        .filter(v -> v.state() == VmState.RUNNING && v.stateSince().isAfter(running.stateSince())).isPresent());
    Instant restartedAt = clock.now();

    List<JournalEntry> journal = controller.call(() -> controller.state().store().journal(0, 10_000, NAME));
    JournalEntry forcedOff = started(journal, "hung/" + NAME + "/");
    assertThat(Objects.requireNonNull(forcedOff.cause()).reason()).as("why it was forced off")
        .startsWith(NAME + " hangs: guest agent silent for " + INTERVAL.multipliedBy(MISSED).toSeconds() + " s");
    JournalEntry restart = started(journal, "restart/" + NAME + "/");
    assertThat(Objects.requireNonNull(restart.cause()).reason()).startsWith(NAME + " hung: guest agent silent").endsWith("restarted in place");
    assertThat(vm().orElseThrow().host()).as("restarted in place").isEqualTo(running.host());
    Duration sinceLastAnswer = Duration.between(lastAnswerBefore, forcedOff.at());
    System.out.printf("qemu-lab: heartbeat %s x %d: forced off %d ms after the agent's last answer, %d ms after it was stopped; "
            + "RUNNING again %d ms after it was stopped%n", INTERVAL, MISSED, sinceLastAnswer.toMillis(),
        Duration.between(stoppedAt, forcedOff.at()).toMillis(), Duration.between(stoppedAt, restartedAt).toMillis());
    // Judged at the first ping after the window, acted on at once. Before GuestHeartbeats kept one call per
    // VM in the driver and counted a ping still held there as missed, this took 12 s: a ping due while
    // the last one's wait ran out was skipped, so every other interval counted nothing.
    assertThat(sinceLastAnswer).as("silent for the window, forced off within two pings of it")
        .isGreaterThanOrEqualTo(INTERVAL.multipliedBy(MISSED)).isLessThan(INTERVAL.multipliedBy(MISSED + 2));

    // The new boot's agent answers: the VM is watched again, and nothing more happens.
    Instant since = vm().orElseThrow().stateSince();
    QemuLab.await("the new run's agent to answer", Duration.ofSeconds(90))
        .until(() -> agent().filter(o -> o.since().equals(since) && o.lastAnswer() != null).isPresent());
    assertThat(hungActions()).as("forced off once").isEqualTo(1);
  }

  /**
   * {@code virsh suspend}: the Monitor reads the domain PAUSED (SUSPENDED) within a monitor period,
   * the heartbeats watch RUNNING VMs only, and the Guardian leaves it paused: as built, documented
   * in docs/high-availability.md ("Not done yet": neither resumed nor restarted).
   */
  @Test
  @Order(2)
  void aDomainPausedWithLibvirtIsSuspendedNotHung() {
    Vm running = vm().filter(v -> v.state() == VmState.RUNNING).orElseThrow();
    int node = lab.node(controller.call(() -> controller.state().host(Objects.requireNonNull(running.host())).orElseThrow().uri()));
    QemuLab.await("the agent of this run to answer", Duration.ofSeconds(90))
        .until(() -> agent().filter(o -> o.since().equals(running.stateSince()) && o.lastAnswer() != null).isPresent());

    lab.virsh(node, "suspend", NAME);
    try {
      QemuLab.await(NAME + " SUSPENDED", Duration.ofSeconds(30)).until(() -> vm().map(Vm::state).orElse(null) == VmState.SUSPENDED);
      Duration beyondTheWindow = INTERVAL.multipliedBy(MISSED + 3);
      QemuLab.await(NAME + " left paused", beyondTheWindow.plusSeconds(30)).during(beyondTheWindow)
          .until(() -> vm().map(Vm::state).orElse(null) == VmState.SUSPENDED && hungActions() == 1);
    } finally {
      lab.virsh(node, "resume", NAME);
    }
    QemuLab.await(NAME + " RUNNING again", Duration.ofSeconds(30)).until(() -> vm().map(Vm::state).orElse(null) == VmState.RUNNING);
    assertThat(vm().orElseThrow().host()).isEqualTo(running.host());
  }

  private long hungActions() {
    return controller.call(() -> controller.state().store().journal(0, 10_000, NAME)).stream()
        .filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null && e.actionKey().startsWith("hung/")).count();
  }

  private static JournalEntry started(List<JournalEntry> journal, String keyPrefix) {
    return journal.stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null && e.actionKey().startsWith(keyPrefix))
        .findFirst().orElseThrow(() -> new AssertionError("no action " + keyPrefix + "... started; journal: " + journal));
  }

  private Optional<Vm> vm() {
    return controller.call(() -> controller.state().vm(NAME));
  }

  private Optional<AgentObservation> agent() {
    return controller.call(() -> Optional.ofNullable(controller.agents().get(NAME)));
  }
}
