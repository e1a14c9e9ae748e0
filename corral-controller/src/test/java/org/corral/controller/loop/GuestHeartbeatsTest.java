package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.corral.controller.state.ControllerState;
import org.corral.controller.store.InMemoryStore;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.snapshot.AgentObservation;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.corral.policy.recovery.GuestHeartbeat;
import org.junit.jupiter.api.Test;

/**
 * The heartbeats' timing against an agent whose driver holds a call past its wait, as libvirt does
 * with a hung agent (its guest-sync waits 5 s whatever the ping's timeout: QemuLabGuestAgentTest).
 * Found on the QEMU lab: the next ping queued behind the held call, and an interval whose ping was
 * due while the last one's wait ran out counted nothing, so a guest was judged hung after twice
 * its window.
 */
class GuestHeartbeatsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(2);

  /** An agent whose answers the test gives: each ping is a future held until the test completes it. */
  private static final class HeldAgent implements GuestExec {
    final List<CompletableFuture<Void>> calls = new CopyOnWriteArrayList<>();
    volatile boolean answers = true;

    @Override
    public Set<String> schemes() {
      return Set.of("qemu-ga");
    }

    @Override
    public CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout) {
      throw new UnsupportedOperationException("only pings here");
    }

    @Override
    public CompletionStage<Void> ping(String targetUri, Duration timeout) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      calls.add(f);
      if (answers) {
        f.complete(null);
      }
      return f;
    }
  }

  private final VirtualClock clock = new VirtualClock(T0);
  private final ControllerState state = new ControllerState(new InMemoryStore(), clock);
  private final HeldAgent agent = new HeldAgent();
  private final AtomicInteger silences = new AtomicInteger();
  private final GuestHeartbeats heartbeats = new GuestHeartbeats(clock, 1, state, new Drivers().guest(agent),
      new GuestHeartbeat(INTERVAL, 3), silences::incrementAndGet);

  GuestHeartbeatsTest() {
    state.tx().put(new Host("h1", "qemu+tcp://h1/system", new HostCapacity(4, 2600, 8192), Map.of(), null, null, HostState.UP,
        "hypervisor answers", T0, 1)).commit();
    state.tx().put(new Vm("web1", "00000000-0000-4000-8000-000000000001", VmSpec.of(1, 512).withHa(HaLevel.HIGH), "t",
        VmState.RUNNING, DesiredState.RUNNING, "h1", null, List.of(), "started", T0, T0, 1)).commit();
  }

  @Test
  void aPingHeldInTheDriverIsNotSentAgainButEachIntervalWithoutAnAnswerCountsMissed() {
    heartbeats.start();
    clock.advance(Duration.ofMillis(100));
    assertThat(observed().lastAnswer()).as("the first ping answered").isEqualTo(T0);

    agent.answers = false; // the guest hangs: the driver holds every call (libvirt: 5 s)
    clock.advance(INTERVAL); // t = 2.1 s: a ping sent at 2 s, held
    assertThat(agent.calls).hasSize(2);
    clock.advance(INTERVAL); // t = 4.1 s: its wait ran out at 3.6 s (missed), and at 4 s it was still held (missed)
    assertThat(agent.calls).as("no second call behind the held one").hasSize(2);
    assertThat(observed().missed()).isEqualTo(2);
    assertThat(silences).as("4 s since the last answer: not yet the 6 s window").hasValue(0);

    clock.advance(INTERVAL); // t = 6.1 s: a third interval unanswered, 6 s after the last answer
    assertThat(observed().missed()).isEqualTo(3);
    assertThat(observed().lastError()).contains("has not returned");
    assertThat(silences).as("judged hung after interval × missed, not twice that").hasValue(1);
    assertThat(agent.calls).hasSize(2);

    // The held call fails at last (libvirt's guest-sync gave up): the next interval pings again.
    agent.calls.get(1).completeExceptionally(new DriverException(DriverException.Kind.TIMEOUT, "Guest agent not available for now"));
    clock.advance(INTERVAL);
    assertThat(agent.calls).hasSize(3);
    assertThat(observed().missed()).as("the failure counted once, when its wait ran out").isEqualTo(3);
    assertThat(silences).as("told once").hasValue(1);
  }

  @Test
  void aCallThatNeverReturnsIsLetGoAfterAMinuteSoThatTheNextRunIsPingedAgain() {
    agent.answers = false;
    heartbeats.start();
    clock.advance(GuestHeartbeats.STUCK.minusSeconds(1));
    assertThat(agent.calls).as("the first call, never returned, holds the others back").hasSize(1);

    clock.advance(INTERVAL.plusSeconds(1));
    assertThat(agent.calls).as("let go after a minute: pinged again").hasSize(2);
  }

  @Test
  void anAgentThatAnswersIsPingedOncePerIntervalAndNeverMissed() {
    heartbeats.start();
    clock.advance(INTERVAL.multipliedBy(10).plusMillis(100));

    assertThat(agent.calls).hasSize(11);
    assertThat(observed().missed()).isZero();
    assertThat(observed().lastAnswer()).isEqualTo(T0.plus(INTERVAL.multipliedBy(10)));
  }

  private AgentObservation observed() {
    AgentObservation o = heartbeats.observed().get("web1");
    assertThat(o).as("web1 watched").isNotNull();
    return o;
  }
}
