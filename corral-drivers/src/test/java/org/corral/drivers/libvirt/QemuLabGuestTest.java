package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.agent.QemuAgentExec;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.hypervisor.MigrationProgress;
import org.corral.drivers.lab.QemuLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One real guest through the libvirt driver, booted once and followed through the steps of its
 * life in order: the domain XML Corral renders (direct kernel boot, qcow2 overlay, serial console
 * logged to a file, guest-agent channel, NoCloud seed ISO from Corral's own ISO writer) is
 * accepted by QEMU and the guest prints the user data it read; the guest agent runs commands;
 * CPU time is real (idle, then busy); live migration is refused without the unsafe flag, aborted
 * on timeout under a bandwidth limit, and done with it (the same guest carries on); kill -9 of
 * QEMU is seen; undefine on the other node leaves no volume behind. Skipped without the lab.
 */
@Tag(QemuLab.TAG)
@ExtendWith(QemuLab.Required.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuLabGuestTest {
  private static final String NAME = "lab-driver-guest";
  private static final String USER_DATA = "#cloud-config\n# corral-lab: written by Corral's ISO 9660 writer\n";

  private QemuLab lab;
  private LibvirtDriver driver;
  private LibvirtConnection node1;
  private LibvirtConnection node2;
  private final List<DomainEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    lab = QemuLab.require();
    TestHosts.requireLibvirt();
    driver = TestHosts.driver();
    node1 = (LibvirtConnection) TestHosts.await(driver.connect(lab.uri(1)));
    node2 = (LibvirtConnection) TestHosts.await(driver.connect(lab.uri(2)));
    node1.onEvent(events::add);
    node2.onEvent(events::add);
    removeEverywhere();
    lab.resetConsole(1, NAME);
    lab.resetConsole(2, NAME);
  }

  @AfterAll
  void stop() {
    if (driver == null) {
      return;
    }
    removeEverywhere();
    node1.close();
    node2.close();
    driver.close();
  }

  private void removeEverywhere() {
    for (LibvirtConnection c : List.of(node1, node2)) {
      c.destroy(NAME).exceptionally(t -> null).toCompletableFuture().join();
      c.undefine(NAME, true).exceptionally(t -> null).toCompletableFuture().join();
    }
  }

  @Test
  @Order(1)
  void theRenderedDomainBootsAndTheGuestReadsItsNoCloudSeed() throws Exception {
    assertThat(node1.domainTypeXml()).as("domain type from node1's capabilities (no /dev/kvm in the lab)").isEqualTo("qemu");
    DomainSpec spec = lab.guest(NAME, USER_DATA);

    TestHosts.await(node1.define(spec));
    long t0 = System.nanoTime();
    TestHosts.await(node1.start(NAME));
    long started = System.nanoTime();
    lab.awaitReady(1, NAME);
    long ready = System.nanoTime();
    System.out.printf("qemu-lab: start %d ms, ready line %d ms after start; QEMU RSS %d MiB for a %d MiB guest%n",
        (started - t0) / 1_000_000, (ready - t0) / 1_000_000, lab.qemuRssMib(1, NAME), QemuLab.GUEST_MEMORY_MIB);

    String console = lab.console(1, NAME);
    assertThat(console).as("the guest mounted the seed ISO and printed its user data")
        .contains("corral-lab: user-data begin\n" + USER_DATA)
        .contains("corral-lab: user-data end");
    assertThat(console).as("local-hostname from the seed's meta-data").contains(READY_ON + NAME);
    String xml = node1.nativeForTests().domainLookupByName(NAME).getXMLDesc(0);
    assertThat(xml).contains("<kernel>" + spec.boot().kernel() + "</kernel>").contains("type='qcow2'")
        .contains("org.qemu.guest_agent.0").contains("-console.log");
    assertThat(lab.poolDir().resolve(NAME + "-vda.qcow2")).as("the overlay in the lab's pool").exists();
    assertThat(lab.poolDir().resolve(NAME + "-seed.iso")).as("the seed ISO in the lab's pool").exists();
  }

  private static final String READY_ON = "corral-lab: ready host=";

  @Test
  @Order(2)
  void theGuestAgentRunsACommandAndReturnsItsExitCodeAndOutput() {
    ExecResult r = TestHosts.await(agent().exec(target(1), List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"),
        Duration.ofSeconds(30)));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
  }

  @Test
  @Order(3)
  void cpuTimeIsRealIdleThenBusy() {
    double idle = vcpuShare(node1, Duration.ofSeconds(3));
    ExecResult busy = TestHosts.await(agent().exec(target(1), List.of("/bin/lab-busy", "start"), Duration.ofSeconds(30)));
    assertThat(busy.exitCode()).as(busy.stderr()).isZero();
    double loaded = vcpuShare(node1, Duration.ofSeconds(3));
    TestHosts.await(agent().exec(target(1), List.of("/bin/lab-busy", "stop"), Duration.ofSeconds(30)));

    // Near 0 and near 1 on an idle machine; on a shared 2-core machine the busy guest gets what
    // the other processes leave it, so the bounds only say "idle" and "busy, by far".
    assertThat(idle).as("share of its one vCPU an idle guest uses").isLessThan(0.2);
    assertThat(loaded).as("share of its one vCPU a busy-looping guest uses (idle: %.3f)", idle)
        .isGreaterThan(0.3).isGreaterThan(5 * idle);
  }

  @Test
  @Order(4)
  void withoutTheUnsafeFlagLibvirtRefusesAndTheGuestStaysOnItsSource() {
    var noUnsafe = new MigrationOptions(0, true, Duration.ofMinutes(1), false);

    DriverException e = TestHosts.failure(node1.migrate(NAME, node2, noUnsafe, p -> {}));

    assertThat(e.getMessage()).as("libvirt's reason").containsIgnoringCase("unsafe");
    assertRunsOnlyOn(node1, node2);
  }

  @Test
  @Order(5)
  void aMigrationSlowedByItsBandwidthLimitIsAbortedAtTheTimeoutAndTheGuestStays() {
    // 1 MiB/s cannot move 128 MiB of guest memory within 3 s.
    var slow = new MigrationOptions(1, false, Duration.ofSeconds(3), true);
    List<MigrationProgress> progress = new CopyOnWriteArrayList<>();

    DriverException e = TestHosts.failure(node1.migrate(NAME, node2, slow, progress::add));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(progress).as("progress reported while it ran").isNotEmpty();
    MigrationProgress last = progress.get(progress.size() - 1);
    assertThat(last.processedBytes()).as("bytes sent under the 1 MiB/s limit in about 3 s").isLessThan(16L << 20);
    assertRunsOnlyOn(node1, node2);
    double before = lab.lastUptime(1, NAME);
    QemuLab.await("a heartbeat after the abort", Duration.ofSeconds(30)).until(() -> lab.lastUptime(1, NAME) > before);
  }

  @Test
  @Order(6)
  void liveMigrationMovesTheSameGuest() {
    double before = lab.lastUptime(1, NAME);
    List<MigrationProgress> progress = new CopyOnWriteArrayList<>();

    long t0 = System.nanoTime();
    TestHosts.await(node1.migrate(NAME, node2, new MigrationOptions(0, true, Duration.ofMinutes(2), true), progress::add));
    System.out.printf("qemu-lab: live migration (driver) %d ms, %d MiB of memory%n", (System.nanoTime() - t0) / 1_000_000,
        progress.isEmpty() ? -1 : progress.get(progress.size() - 1).totalBytes() >> 20);

    assertRunsOnlyOn(node2, node1);
    assertThat(TestHosts.await(node2.domain(NAME))).get().extracting(DomainStatus::persistent).isEqualTo(true);
    QemuLab.await("the guest's heartbeat on node2", Duration.ofSeconds(30)).until(() -> lab.lastUptime(2, NAME) > before);
    assertThat(lab.console(2, NAME)).as("no second boot on node2: the same guest carries on").doesNotContain(QemuLab.READY);
  }

  @Test
  @Order(7)
  void killNineOfQemuIsSeenAsACrash() {
    long pid = lab.qemuPid(2, NAME).orElseThrow(() -> new AssertionError("no QEMU process for " + NAME + " on node2"));
    events.clear();

    QemuLab.signal(pid, "KILL");

    // libvirt says SHUTOFF with reason CRASHED; the driver reported a plain SHUTOFF, which the
    // Monitor took for "stopped outside Corral".
    QemuLab.await("the domain to be seen crashed", Duration.ofSeconds(30))
        .until(() -> TestHosts.await(node2.domain(NAME)).map(DomainStatus::state).orElse(null) == DomainState.CRASHED);
    QemuLab.await("a CRASHED event", Duration.ofSeconds(30)).until(() -> events.stream()
        .anyMatch(e -> NAME.equals(e.domain()) && e.kind() == DomainEvent.Kind.CRASHED));
  }

  @Test
  @Order(8)
  void undefineOnTheOtherNodeRemovesTheVolumesMadeOnTheFirst() {
    TestHosts.await(node2.undefine(NAME, true));

    assertThat(TestHosts.await(node2.domain(NAME))).isEmpty();
    assertThat(lab.poolDir().resolve(NAME + "-vda.qcow2")).as("overlay made on node1, removed through node2").doesNotExist();
    assertThat(lab.poolDir().resolve(NAME + "-seed.iso")).doesNotExist();
    assertThat(Files.exists(lab.poolDir().resolve(lab.baseVolume()))).as("the base image is kept").isTrue();
  }

  private QemuAgentExec agent() {
    return new QemuAgentExec(uri -> CompletableFuture.completedFuture(lab.node(uri) == 1 ? node1 : node2));
  }

  private String target(int node) {
    return lab.agentTarget(node, NAME);
  }

  /** The guest's CPU time over at least {@code window}, as a share of its one vCPU. */
  private static double vcpuShare(LibvirtConnection c, Duration window) {
    HostStats first = TestHosts.await(c.stats());
    AtomicReference<HostStats> last = new AtomicReference<>(first);
    QemuLab.await("a window of " + window, window.plusSeconds(30)).until(() -> {
      last.set(TestHosts.await(c.stats()));
      return last.get().monotonicNanos() - first.monotonicNanos() >= window.toNanos();
    });
    long cpu = last.get().domainCpuNanos().get(NAME) - first.domainCpuNanos().get(NAME);
    return (double) cpu / (last.get().monotonicNanos() - first.monotonicNanos());
  }

  private void assertRunsOnlyOn(LibvirtConnection on, LibvirtConnection notOn) {
    assertThat(TestHosts.await(on.domain(NAME))).as("on " + on.uri()).get().extracting(DomainStatus::state)
        .isEqualTo(DomainState.RUNNING);
    assertThat(TestHosts.await(notOn.domain(NAME))).as("not on " + notOn.uri()).isEmpty();
  }
}
