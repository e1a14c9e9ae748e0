package org.corral.controller.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.corral.controller.connection.Stages;
import org.corral.controller.guest.ServiceChecks;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.Drivers;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.snapshot.AgentObservation;
import org.corral.model.time.Clock;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.recovery.GuestHeartbeat;

/**
 * Guest-agent heartbeats (an observer, like the Monitor: it judges nothing). Every
 * {@code heartbeat.interval} it pings the guest agent of each RUNNING VM that should run, at an HA
 * level that restarts, on a host that is UP: {@code guest-ping} through the VM's guest-exec
 * target (the QEMU guest agent, or the simulator's), off the loop. Each ping waits at most
 * {@link #WAIT_SHARE} of an interval, so that its outcome is in before the next one is due: every
 * interval counts once, answered or missed. One call per VM is in the driver at a time: libvirt
 * keeps a call to a hung agent for its guest-sync's 5 s whatever the ping's timeout (the QEMU lab
 * measured it: QemuLabGuestAgentTest), and a ping due while the last call is still there is not
 * sent but counted missed, so that calls never queue up behind a hung agent and the silence is
 * still judged after {@code interval × missed}. What it sees is an {@link AgentObservation} per VM and run (soft
 * state: memory only, rebuilt after a restart), which the Guardian puts in its snapshot; whether
 * the guest hangs is judged there ({@link GuestHeartbeat}). A VM that stops keeps its observation
 * until it runs again (its restart gives the silence as the reason); a new run starts afresh.
 *
 * <p>Cost: one agent round trip per watched VM per interval (with 1,000 HA VMs and 10 s, 100 a
 * second), which is why heartbeats are off unless {@code guardian.heartbeat} is set.
 */
public final class GuestHeartbeats extends Loop {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GuestHeartbeats.class);
  private final ControllerState state;
  private final Drivers drivers;
  private final GuestHeartbeat heartbeat;
  private final Runnable onSilence;
  /** VM name → what was observed in its current (or last) run. Loop only. */
  private final Map<String, AgentObservation> observed = new HashMap<>();
  /** VM name → the start of the run whose ping is still in the driver (its call has not returned). Loop only. */
  private final Map<String, Instant> asking = new HashMap<>();
  /** How much of an interval a ping waits for its answer: its outcome comes before the next ping is due. */
  static final double WAIT_SHARE = 0.8;
  /** How long a ping's call may stay in the driver before it is taken as lost and the VM pinged again. */
  static final Duration STUCK = Duration.ofMinutes(1);

  /** @param onSilence called (on the loop) when a ping goes unanswered after the window: the Guardian decides at once */
  public GuestHeartbeats(Clock clock, long seed, ControllerState state, Drivers drivers, GuestHeartbeat heartbeat, Runnable onSilence) {
    super("guest-heartbeats", clock, heartbeat.on() ? heartbeat.interval() : Duration.ofDays(1), seed);
    this.state = state;
    this.drivers = drivers;
    this.heartbeat = heartbeat;
    this.onSilence = onSilence;
  }

  @Override
  public void start() {
    if (heartbeat.on()) {
      super.start();
    }
  }

  /** What was observed, by VM name: an immutable copy, for a snapshot. Call on the loop. */
  public Map<String, AgentObservation> observed() {
    return Map.copyOf(observed);
  }

  @Override
  protected void cycle(long cycle, long seed) {
    Set<String> keep = new HashSet<>();
    for (Vm vm : state.vms()) {
      if (vm.desired() != DesiredState.RUNNING || !vm.spec().ha().restarted() || vm.host() == null) {
        continue;
      }
      if (vm.state() != VmState.RUNNING) {
        if (observed.containsKey(vm.name())) {
          keep.add(vm.name()); // stopped or starting again: the observation says why, until it runs again
        }
        continue;
      }
      Host host = state.host(vm.host()).orElse(null);
      if (host == null || host.state() != HostState.UP) {
        continue; // a host that does not answer is the Monitor's and the fencing's business
      }
      keep.add(vm.name());
      AgentObservation o = observed.get(vm.name());
      if (o == null || !o.since().equals(vm.stateSince())) {
        observed.put(vm.name(), AgentObservation.watching(vm.stateSince()));
      }
      ping(vm.name(), vm.stateSince(), ServiceChecks.guestTarget(host.uri(), vm.name()));
    }
    observed.keySet().retainAll(keep);
  }

  private void ping(String vm, Instant since, String target) {
    Instant previous = asking.get(vm);
    if (previous != null) {
      if (previous.equals(since)) {
        // Its call is still in the driver (counted missed when its wait ran out): one more interval unanswered.
        miss(vm, since, "the guest-ping sent " + Stages.human(heartbeat.interval()) + " ago or more has not returned");
      }
      return; // no second call behind it
    }
    asking.put(vm, since);
    Duration wait = Duration.ofNanos((long) (heartbeat.interval().toNanos() * WAIT_SHARE));
    java.util.concurrent.CompletionStage<Void> pong;
    try {
      pong = drivers.guestFor("guest", target).ping(target, wait);
    } catch (RuntimeException e) {
      pong = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    // The call is over when the driver returns; one that never does is let go after STUCK, so that it
    // does not stop this VM's heartbeats for good (its next run would never be pinged).
    Stages.within(pong, STUCK, clock, "guest-ping of " + vm).whenComplete((ok, err) -> clock.execute(() -> asking.remove(vm, since)));
    Stages.within(pong, wait, clock, "guest-ping of " + vm).whenComplete((ok, err) -> clock.execute(() -> {
      if (err == null) {
        AgentObservation o = observed.get(vm);
        if (o != null && o.since().equals(since)) {
          observed.put(vm, o.answered(clock.now()));
        }
        return;
      }
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      miss(vm, since, String.valueOf(cause.getMessage()));
    }));
  }

  /** Records a missed ping of {@code vm}'s run since {@code since}; tells the Guardian when that makes it silent. */
  private void miss(String vm, Instant since, String error) {
    AgentObservation o = observed.get(vm);
    if (o == null || !o.since().equals(since)) {
      return; // a later run, or no longer watched
    }
    Instant now = clock.now();
    AgentObservation missed = o.missed(now, error);
    observed.put(vm, missed);
    if (heartbeat.silence(missed, now) != null && heartbeat.silence(o, now) == null) {
      LOG.warn("vm {}: {}", vm, heartbeat.silence(missed, now));
      onSilence.run();
    }
  }
}
