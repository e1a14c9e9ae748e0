package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.corral.controller.Controller;
import org.corral.controller.command.VmRequest;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.config.CorralConfig;
import org.corral.controller.executor.Executor;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.lab.QemuLab;
import org.corral.drivers.libvirt.LibvirtConnection;
import org.corral.drivers.libvirt.LibvirtDriver;
import org.corral.drivers.libvirt.ReconnectBackoff;
import org.corral.model.host.HostState;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.snapshot.VmObservation;
import org.corral.model.time.SystemClock;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The whole controller (Monitor, scheduler, executor with its MigrateStep, the libvirt and
 * guest-agent drivers) on the QEMU lab, configured by the corral.yaml the lab wrote: two real
 * guests (one idle, one told by its user data to busy-loop), the Monitor's utilisation from their
 * real CPU time, a live migration refused by its destination (the VM stays on its source) and one
 * that succeeds (the same guest carries on), kill -9 of QEMU seen as a crash, a node's libvirtd
 * frozen (SIGSTOP) and then stopped (SUSPECT, DOWN) and each time resumed (UP, nothing duplicated),
 * and delete leaving no domain and no volume. Skipped without the lab (lab/qemu-lab up).
 */
@Tag(QemuLab.TAG)
@ExtendWith(QemuLab.Required.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuLabEndToEndTest {
  private static final String IDLE = "lab-e2e-idle";
  private static final String BUSY = "lab-e2e-busy";
  private static final String MISSING = "lab-e2e-missing";

  @TempDir
  static Path home;
  private QemuLab lab;
  private SystemClock clock;
  private CorralRuntime corral;
  private Controller controller;
  private final LibvirtDriver libvirt = new LibvirtDriver(new VirtualClock(), ReconnectBackoff.DEFAULT);
  private final Map<String, HypervisorConnection> connections = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  void start() throws IOException {
    lab = QemuLab.require();
    for (int node = 1; node <= lab.uris().size(); node++) {
      for (String name : List.of(IDLE, BUSY)) {
        lab.resetConsole(node, name);
      }
    }
    // The lab's own corral.yaml, with the API on a free port and the store in memory.
    String yaml = lab.configForTests()
        // An image whose base volume is not in the pool: a define the node refuses.
        + "  - {name: lab-missing, pool: lab, volume: no-such-base.qcow2, format: qcow2, sizeGib: 1, shared: true}\n";
    CorralConfig cfg = ConfigReader.parse(yaml, lab.config().toString(), Map.of());
    clock = new SystemClock("qemu-lab-e2e");
    corral = CorralRuntime.start(cfg, home, clock, d -> RealDrivers.register(d, clock));
    controller = corral.controller();
    // What the Monitor itself sees of real failures (a crashed guest, a stopped libvirtd), without
    // the Guardian restarting crashed VMs or fencing what goes DOWN, as in MonitorTest.
    controller.call(() -> {
      controller.guardian().stop();
      return null;
    });
  }

  @AfterAll
  void stop() {
    if (corral != null) {
      for (String name : List.of(IDLE, BUSY, MISSING)) {
        vm(name).ifPresent(v -> controller.call(() -> controller.commands().deleteVm(name, "test")));
      }
      QemuLab.await("the test's VMs deleted", Duration.ofSeconds(60)).until(() -> vm(IDLE).isEmpty() && vm(BUSY).isEmpty());
      corral.close();
    }
    connections.values().forEach(HypervisorConnection::close);
    libvirt.close();
    if (clock != null) {
      clock.close();
    }
  }

  @Test
  @Order(1)
  void theLabsNodesAreUpWithCapacityFromTheirHypervisors() {
    QemuLab.await("both nodes UP", Duration.ofSeconds(60)).until(() -> hostState("node1") == HostState.UP
        && hostState("node2") == HostState.UP);
    assertThat(controller.call(() -> controller.state().host("node1").orElseThrow().capacity().memoryMib())).isPositive();
  }

  /** A define the node refuses was in the journal only, not in the controller's log (fixed by issue 26; checked here on a real node). */
  @Test
  @Order(2)
  void aDefineTheNodeRefusesFailsTheVmAndIsLogged() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger executorLog = (Logger) LoggerFactory.getLogger(Executor.class);
    executorLog.addAppender(log);
    try {
      VmRequest req = new VmRequest(MISSING, 1, QemuLab.GUEST_MEMORY_MIB, List.of(new DiskSpec("lab-missing", 1)), null, null,
          null, null, null, null, null, null, null, null, null);
      controller.call(() -> controller.commands().createVm(req, "test"));

      Vm failed = awaitState(MISSING, VmState.FAILED, Duration.ofSeconds(60));
      assertThat(failed.stateReason()).contains("no-such-base.qcow2");
      QemuLab.await("the failure in the log", Duration.ofSeconds(10)).until(() -> log.list.stream()
          .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(MISSING)
              && e.getFormattedMessage().contains("no-such-base.qcow2")));
    } finally {
      executorLog.detachAppender(log);
      controller.call(() -> controller.commands().deleteVm(MISSING, "test"));
    }
  }

  @Test
  @Order(3)
  void theMonitorSeesRealCpuTimeOfAnIdleAndABusyGuest() {
    long t0 = System.nanoTime();
    create(IDLE, "#cloud-config\n# idle\n");
    create(BUSY, "#cloud-config\n# " + QemuLab.BUSY + "\n");
    Vm idle = awaitState(IDLE, VmState.RUNNING, Duration.ofSeconds(90));
    Vm busy = awaitState(BUSY, VmState.RUNNING, Duration.ofSeconds(90));
    long running = System.nanoTime();
    lab.awaitReady(lab.node(uriOf(idle.host())), IDLE);
    lab.awaitReady(lab.node(uriOf(busy.host())), BUSY);
    System.out.printf("qemu-lab: two guests at once: RUNNING %d ms after create, both ready lines %d ms after%n",
        (running - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);

    // Three polls after both booted: the guests' shares of their one vCPU, as the Monitor computed them.
    // (Samples keep a bounded history, so the wait is on time: three monitor periods and a bit.)
    long readyAt = System.nanoTime();
    Duration threePolls = controller.settings().monitorPeriod().multipliedBy(3).plusMillis(500);
    QemuLab.await("three monitor polls after boot", threePolls.plusSeconds(30))
        .until(() -> System.nanoTime() - readyAt >= threePolls.toNanos() && samples(IDLE) >= 3 && samples(BUSY) >= 3);
    double idleShare = share(IDLE);
    double busyShare = share(BUSY);
    assertThat(idleShare).as("idle guest").isLessThan(0.2);
    assertThat(busyShare).as("busy guest (idle: %.3f)", idleShare).isGreaterThan(0.3).isGreaterThan(5 * idleShare);

    controller.call(() -> controller.commands().deleteVm(BUSY, "test"));
    QemuLab.await(BUSY + " deleted", Duration.ofSeconds(60)).until(() -> vm(BUSY).isEmpty());
  }

  @Test
  @Order(4)
  void aMigrationTheDestinationRefusesFailsAndTheVmStaysOnItsSource() {
    Vm vm = vm(IDLE).orElseThrow();
    String to = other(vm.host());
    // The destination already has a domain of that name (another UUID): libvirt refuses there.
    HypervisorConnection dst = connect(to);
    DomainSpec squatter = new DomainSpec(IDLE, "5d1e0d5e-0000-4000-8000-00000000beef", 1, 64, List.of(), List.of(), null);
    QemuLab.result(dst.define(squatter));
    try {
      String key = controller.call(() -> {
        controller.commands().migrateVm(IDLE, to, "test");
        return controller.executor().activeKey(IDLE).orElseThrow();
      });
      QemuLab.await("the migration to fail", Duration.ofSeconds(60)).until(() -> actionStatus(key)
          .map(s -> s == ActionStatus.FAILED).orElse(false));
      Vm after = awaitState(IDLE, VmState.RUNNING, Duration.ofSeconds(10));
      assertThat(after.host()).isEqualTo(vm.host());
      assertThat(after.stateReason()).contains("migration to " + to + " failed");
      assertThat(QemuLab.result(connect(vm.host()).domain(IDLE)).map(DomainStatus::state).map(s -> s.isActive()))
          .as("still running on the source").contains(true);
    } finally {
      QemuLab.result(dst.undefine(IDLE, false));
    }
  }

  @Test
  @Order(5)
  void liveMigrationThroughTheExecutorMovesTheSameGuest() {
    Vm vm = vm(IDLE).orElseThrow();
    String to = other(vm.host());
    double before = lab.lastUptime(lab.node(uriOf(vm.host())), IDLE);
    long t0 = System.nanoTime();

    controller.call(() -> controller.commands().migrateVm(IDLE, to, "test"));

    QemuLab.await(IDLE + " RUNNING on " + to, Duration.ofSeconds(90)).until(() -> vm(IDLE)
        .filter(v -> v.state() == VmState.RUNNING && to.equals(v.host())).isPresent());
    System.out.printf("qemu-lab: migration of %s through MigrateStep took %d ms%n", IDLE, (System.nanoTime() - t0) / 1_000_000);
    int dest = lab.node(uriOf(to));
    QemuLab.await("the heartbeat on " + to, Duration.ofSeconds(30)).until(() -> lab.lastUptime(dest, IDLE) > before);
    assertThat(lab.console(dest, IDLE)).as("no second boot on the destination").doesNotContain(QemuLab.READY);
    assertThat(QemuLab.result(connect(vm.host()).domain(IDLE))).as("nothing left on the source").isEmpty();
  }

  @Test
  @Order(6)
  void killNineOfTheGuestsQemuIsSeenAsACrash() {
    Vm vm = vm(IDLE).orElseThrow();
    int node = lab.node(uriOf(vm.host()));
    long pid = lab.qemuPid(node, IDLE).orElseThrow(() -> new AssertionError("no QEMU process for " + IDLE));

    QemuLab.signal(pid, "KILL");

    Vm after = awaitState(IDLE, VmState.STOPPED, Duration.ofSeconds(30));
    assertThat(after.stateReason()).as("the reason").contains("crashed on " + vm.host());
  }

  /**
   * A partition, as real as one machine allows: a node's libvirtd frozen with SIGSTOP under the
   * Monitor's reads and beats (its socket open, nothing answering) until keepalive gives up, then
   * SIGCONT. Before NativeLanes this crashed the JVM inside libvirt's client at the thaw, twice
   * (docs/real-hosts.md, "A frozen libvirtd"), and this test stopped the daemon instead; not every
   * time (one run of the old driver passed it): LibvirtFrozenDaemonTest is the one that reproduces
   * the crash at will. This one shows what the Monitor makes of a partition.
   */
  @Test
  @Order(7)
  void aNodeWhoseLibvirtdFreezesGoesSuspectThenDownAndComesBackUpWithNothingDuplicated() {
    String uri = uriOf(vm(IDLE).orElseThrow().host());
    int node = lab.node(uri);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger libvirtLog = (Logger) LoggerFactory.getLogger(LibvirtConnection.class);
    libvirtLog.addAppender(log);
    try {
      cutAndRestore("frozen", () -> lab.freezeNode(node), () -> {
        // Frozen until keepalive gives up on a connection that had calls in flight (the Monitor's,
        // closed when they ran over its budget): the moment that used to crash, at SIGCONT.
        QemuLab.await("keepalive giving up on " + uri, Duration.ofSeconds(90)).until(() -> log.list.stream()
            .anyMatch(e -> e.getFormattedMessage().contains(uri) && e.getFormattedMessage().contains("KEEPALIVE")));
      }, () -> lab.thawNode(node));
    } finally {
      libvirtLog.detachAppender(log);
    }
  }

  /** A host whose libvirtd goes away (EOF on every connection) and is started again. */
  @Test
  @Order(8)
  void aNodeWhoseLibvirtdStopsGoesSuspectThenDownAndComesBackUpWithNothingDuplicated() {
    int node = lab.node(uriOf(vm(IDLE).orElseThrow().host()));
    cutAndRestore("stopped", () -> lab.stopNode(node), () -> {}, () -> lab.startNode(node));
  }

  /** Cuts IDLE's host off, sees it SUSPECT then DOWN, waits for {@code whileDown}, restores it, sees it UP with IDLE once. */
  private void cutAndRestore(String how, Runnable cut, Runnable whileDown, Runnable restore) {
    String host = vm(IDLE).orElseThrow().host();
    List<HostState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    cut.run();
    try {
      QemuLab.await(host + " DOWN", Duration.ofSeconds(90)).until(() -> {
        HostState s = hostState(host);
        if (seen.isEmpty() || seen.get(seen.size() - 1) != s) {
          seen.add(s);
        }
        return s == HostState.DOWN;
      });
      whileDown.run();
      assertThat(hostState(host)).as("while its libvirtd is " + how).isEqualTo(HostState.DOWN);
    } finally {
      restore.run();
    }
    assertThat(seen).as("states seen while its libvirtd was " + how).containsSubsequence(HostState.SUSPECT, HostState.DOWN);
    QemuLab.await(host + " UP again", Duration.ofSeconds(90)).until(() -> hostState(host) == HostState.UP);
    QemuLab.await(IDLE + " known again", Duration.ofSeconds(30)).until(() -> vm(IDLE).map(Vm::state).orElse(null) == VmState.STOPPED);

    assertThat(controller.call(() -> controller.state().vms().stream().map(Vm::name).filter(IDLE::equals).count()))
        .as("one VM of that name").isEqualTo(1);
    long domains = lab.uris().stream().map(u -> QemuLab.result(connectUri(u).domain(IDLE))).filter(Optional::isPresent).count();
    assertThat(domains).as("one domain of that name across the nodes").isEqualTo(1);
  }

  @Test
  @Order(9)
  void deleteLeavesNoDomainAndNoVolume() {
    controller.call(() -> controller.commands().deleteVm(IDLE, "test"));

    QemuLab.await(IDLE + " deleted", Duration.ofSeconds(60)).until(() -> vm(IDLE).isEmpty());
    for (String uri : lab.uris()) {
      assertThat(QemuLab.result(connectUri(uri).domain(IDLE))).as("no domain on " + uri).isEmpty();
    }
    assertThat(lab.poolDir().resolve(IDLE + "-vda.qcow2")).doesNotExist();
    assertThat(lab.poolDir().resolve(IDLE + "-seed.iso")).doesNotExist();
  }

  private void create(String name, String userData) {
    VmRequest req = new VmRequest(name, 1, QemuLab.GUEST_MEMORY_MIB, List.of(new DiskSpec("lab-guest", 1)), null, null, null,
        null, null, null, null, null, userData, null, null);
    controller.call(() -> controller.commands().createVm(req, "test"));
  }

  private Optional<Vm> vm(String name) {
    return controller.call(() -> controller.state().vm(name));
  }

  private Vm awaitState(String name, VmState state, Duration atMost) {
    QemuLab.await(name + " " + state, atMost).until(() -> vm(name).map(Vm::state).orElse(null) == state);
    return vm(name).orElseThrow();
  }

  private HostState hostState(String host) {
    return controller.call(() -> controller.state().host(host).orElseThrow().state());
  }

  private Optional<ActionStatus> actionStatus(String key) {
    return controller.call(() -> controller.state().store().action(key).map(ActionRecord::status));
  }

  private int samples(String name) {
    return observation(name).map(o -> o.cpu().size()).orElse(0);
  }

  /** The mean of the last three samples of the VM's CPU utilisation, as the Monitor computed them. */
  private double share(String name) {
    return observation(name).orElseThrow().cpu().meanOfLast(3);
  }

  private Optional<VmObservation> observation(String name) {
    return controller.call(() -> {
      Vm v = controller.state().vm(name).orElse(null);
      return v == null || v.host() == null ? Optional.empty()
          : Optional.ofNullable(controller.state().observation(v.host()).vms().get(name));
    });
  }

  private String uriOf(String host) {
    return controller.call(() -> controller.state().host(host).orElseThrow().uri());
  }

  private String other(String host) {
    return "node1".equals(host) ? "node2" : "node1";
  }

  private HypervisorConnection connect(String host) {
    return connectUri(uriOf(host));
  }

  /** The test's own connection to a node (one per URI, closed at the end). */
  private HypervisorConnection connectUri(String uri) {
    // A node whose libvirtd was restarted needs a new connection.
    return connections.compute(uri, (u, c) -> c != null && c.isAlive() ? c : QemuLab.result(libvirt.connect(u)));
  }
}
