package org.corral.controller.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.corral.controller.connection.Stages;
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
 * target (the QEMU guest agent, or the simulator's), off the loop, one ping per VM at a time, each
 * waiting at most one interval. What it sees is an {@link AgentObservation} per VM and run (soft
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
  private final Set<String> asking = new HashSet<>();

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
    if (!asking.add(vm)) {
      return; // the previous ping has not come back yet
    }
    Duration wait = heartbeat.interval();
    java.util.concurrent.CompletionStage<Void> pong;
    try {
      pong = drivers.guestFor("guest", target).ping(target, wait);
    } catch (RuntimeException e) {
      pong = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    Stages.within(pong, wait, clock, "guest-ping of " + vm).whenComplete((ok, err) -> clock.execute(() -> {
      asking.remove(vm);
      AgentObservation o = observed.get(vm);
      if (o == null || !o.since().equals(since)) {
        return; // a later run, or no longer watched
      }
      Instant now = clock.now();
      if (err == null) {
        observed.put(vm, o.answered(now));
        return;
      }
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      AgentObservation missed = o.missed(now, String.valueOf(cause.getMessage()));
      observed.put(vm, missed);
      if (heartbeat.silence(missed, now) != null && heartbeat.silence(o, now) == null) {
        LOG.warn("vm {}: {}", vm, heartbeat.silence(missed, now));
        onSilence.run();
      }
    }));
  }
}
