package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;
import org.corral.drivers.guest.agent.QemuAgentExec;
import org.corral.drivers.lab.QemuLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Guest-agent heartbeats against the real agent: the lab's guest runs qemu-ga on the
 * {@code org.qemu.guest_agent.0} channel of the domain XML Corral renders, and {@code guest-ping}
 * goes the way {@code GuestHeartbeats} sends it ({@link GuestExec#ping} of {@link QemuAgentExec}
 * on a {@code qemu-ga://} target, {@code virDomainQemuAgentCommand} on the node's connection).
 * One guest, followed in order: its agent answers (with the round trip's time under TCG); a
 * domain paused with libvirt is refused at once; an agent stopped inside the guest (SIGSTOP: a
 * hung guest as the host sees it, the domain RUNNING) is silent after the ping's timeout, every
 * time, and answers again once it goes on; an agent killed inside the guest is refused at once. Skipped without the lab (lab/qemu-lab up).
 */
@Tag(QemuLab.TAG)
@ExtendWith(QemuLab.Required.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuLabGuestAgentTest {
  private static final String NAME = "lab-driver-agent";
  /** The heartbeat's wait per ping in the controller's lab test (guardian.heartbeat.interval). */
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
  /** How long the guest keeps its agent stopped: the first silent ping (up to 10 s to notice) and two more of 5 s. */
  private static final Duration STOPPED_FOR = Duration.ofSeconds(25);

  private QemuLab lab;
  private LibvirtDriver driver;
  private LibvirtConnection node1;
  private GuestExec agent;
  private String target;

  @BeforeAll
  void start() {
    lab = QemuLab.require();
    TestHosts.requireLibvirt();
    driver = TestHosts.driver();
    node1 = (LibvirtConnection) TestHosts.await(driver.connect(lab.uri(1)));
    remove();
    lab.resetConsole(1, NAME);
    agent = new QemuAgentExec(uri -> CompletableFuture.completedFuture(node1));
    target = lab.agentTarget(1, NAME);
    TestHosts.await(node1.define(lab.guest(NAME, "#cloud-config\n# agent\n")));
    TestHosts.await(node1.start(NAME));
    lab.awaitReady(1, NAME);
  }

  @AfterAll
  void stop() {
    if (driver == null) {
      return;
    }
    remove();
    node1.close();
    driver.close();
  }

  private void remove() {
    node1.destroy(NAME).exceptionally(t -> null).toCompletableFuture().join();
    node1.undefine(NAME, true).exceptionally(t -> null).toCompletableFuture().join();
  }

  @Test
  @Order(1)
  void theRealAgentAnswersGuestPing() {
    awaitAnswer("the agent started by the guest's init");
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      TestHosts.await(agent.ping(target, PING_TIMEOUT));
      micros.add((System.nanoTime() - t0) / 1_000);
    }
    micros.sort(null);
    System.out.printf("qemu-lab: guest-ping through QemuAgentExec under TCG, 20 pings: min %.1f ms, median %.1f ms, max %.1f ms%n",
        micros.get(0) / 1000.0, micros.get(10) / 1000.0, micros.get(19) / 1000.0);
    assertThat(micros.get(19)).as("the slowest of 20 round trips, in µs").isLessThan(PING_TIMEOUT.toNanos() / 1_000);
  }

  @Test
  @Order(2)
  void aDomainPausedWithLibvirtIsRefusedAtOnceAndAnswersAgainWhenResumed() throws Exception {
    var domain = node1.nativeForTests().domainLookupByName(NAME);
    domain.suspend();
    try {
      long t0 = System.nanoTime();
      DriverException e = TestHosts.failure(agent.ping(target, PING_TIMEOUT));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("qemu-lab: guest-ping of a paused domain failed in %d ms: %s: %s%n", ms, e.kind(), e.getMessage());
      assertThat(e.getMessage()).as("libvirt's reason").containsIgnoringCase("not running");
      assertThat(ms).as("refused without waiting for the agent").isLessThan(PING_TIMEOUT.toMillis());
    } finally {
      domain.resume();
    }
    awaitAnswer("the agent of the resumed guest");
  }

  @Test
  @Order(3)
  void anAgentStoppedInsideTheGuestIsSilentAfterThePingsTimeoutEveryTime() {
    // In the background, a second later, so that this guest-exec's own status is read first; the
    // guest lets its agent go on by itself STOPPED_FOR later (the next test).
    ExecResult r = TestHosts.await(agent.exec(target, List.of("/bin/sh", "-c",
        "(sleep 1; killall -STOP qemu-ga; sleep " + STOPPED_FOR.toSeconds() + "; killall -CONT qemu-ga) </dev/null >/dev/null 2>&1 &"),
        Duration.ofSeconds(30)));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    QemuLab.await("the agent to stop answering", Duration.ofSeconds(30))
        .until(() -> agent.ping(target, PING_TIMEOUT).handle((ok, err) -> err != null).toCompletableFuture().join());

    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      DriverException e = TestHosts.failure(agent.ping(target, PING_TIMEOUT));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("qemu-lab: guest-ping of a stopped agent (timeout %d s) failed in %d ms: %s: %s%n",
          PING_TIMEOUT.toSeconds(), ms, e.kind(), e.getMessage());
      assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.TIMEOUT);
      assertThat(ms).as("silent after the ping's timeout, not before and not much later")
          .isGreaterThanOrEqualTo(PING_TIMEOUT.toMillis() - 50).isLessThan(PING_TIMEOUT.toMillis() + 5_000);
    }
    assertThat(TestHosts.await(node1.domain(NAME))).get().extracting(d -> d.state().isActive())
        .as("the domain still runs: only the agent says the guest hangs").isEqualTo(true);
  }

  @Test
  @Order(4)
  void anAgentThatGoesOnAnswersAgain() {
    // SIGCONT from inside the guest, STOPPED_FOR after the stop: the agent reads what waited in its
    // channel (libvirt's guest-syncs of the pings that gave up) and answers the next ping.
    awaitAnswer("the agent let go on");
  }

  @Test
  @Order(5)
  void anAgentKilledInsideTheGuestIsRefusedAtOnce() {
    ExecResult r = TestHosts.await(agent.exec(target, List.of("/bin/sh", "-c",
        "(sleep 1; killall qemu-ga) </dev/null >/dev/null 2>&1 &"), Duration.ofSeconds(30)));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    QemuLab.await("the agent to stop answering", Duration.ofSeconds(30))
        .until(() -> agent.ping(target, PING_TIMEOUT).handle((ok, err) -> err != null).toCompletableFuture().join());

    long t0 = System.nanoTime();
    DriverException e = TestHosts.failure(agent.ping(target, PING_TIMEOUT));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("qemu-lab: guest-ping of a killed agent failed in %d ms: %s: %s%n", ms, e.kind(), e.getMessage());
    assertThat(e.getMessage()).as("libvirt's reason").containsIgnoringCase("agent");
  }

  /** Waits (bounded) until the agent answers a guest-ping. */
  private void awaitAnswer(String what) {
    QemuLab.await(what + " to answer guest-ping", Duration.ofSeconds(90))
        .until(() -> agent.ping(target, PING_TIMEOUT).handle((ok, err) -> err == null).toCompletableFuture().join());
  }
}
