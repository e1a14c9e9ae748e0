package org.corral.controller.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.corral.drivers.Drivers;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerReading;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;

/**
 * Keeps virtual time still while real power drivers work. Real drivers run real processes and
 * sockets (ipmitool against ipmi_sim, an SSH session, a UDP datagram) in real time, while the
 * controller times everything on its virtual clock: a test that advanced the clock while ipmitool
 * ran could see an action time out that merely had not been given the chance to finish. Each call
 * through a {@link #track tracked} driver is counted until its stage completes, and
 * {@link #awaitIdle} waits (bounded) until none is left. A test calls it before each step of the
 * clock: a real call then takes no more virtual time than what was left of the step in which the
 * controller made it (the rest of that {@code advance} runs in microseconds, a process takes
 * milliseconds), and the run is the same whatever the machine's speed. Thread-safe.
 */
public final class RealPowerCalls {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();

  /** {@code driver}, with every call counted while it runs. */
  public PowerDriver track(PowerDriver driver) {
    return new Tracked(driver);
  }

  /** Calls of {@code method} ("powerOn", "powerOff", ...) on {@code scheme}'s targets that succeeded so far. */
  public int succeeded(String scheme, String method) {
    AtomicInteger n = succeeded.get(method + " " + scheme);
    return n == null ? 0 : n.get();
  }

  /** Returns once no tracked call is running; fails the test if one still runs after {@code max}. */
  public void awaitIdle(Duration max) {
    if (inFlight.get() == 0) {
      return;
    }
    await("real power driver calls (ipmitool, SSH, UDP) to finish").atMost(max).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5)).until(() -> inFlight.get() == 0);
  }

  private <T> CompletionStage<T> count(String method, PowerTarget target, Supplier<CompletionStage<T>> call) {
    String key = method + " " + Drivers.scheme(target.uri());
    inFlight.incrementAndGet();
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      throw e;
    }
    // Counted down only after the caller's own continuations ran (the controller's hop onto its
    // loop is scheduled by then), so a step of the clock never comes between the two.
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete((v, e) -> {
      try {
        if (e != null) {
          out.completeExceptionally(e);
        } else {
          succeeded.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          out.complete(v);
        }
      } finally {
        inFlight.decrementAndGet();
      }
    });
    return out;
  }

  private final class Tracked implements PowerDriver {
    private final PowerDriver d;

    Tracked(PowerDriver d) {
      this.d = d;
    }

    @Override public Set<String> schemes() { return d.schemes(); }
    @Override public CompletionStage<Void> powerOn(PowerTarget t) { return count("powerOn", t, () -> d.powerOn(t)); }
    @Override public CompletionStage<Void> powerOff(PowerTarget t, boolean hard) { return count("powerOff", t, () -> d.powerOff(t, hard)); }
    @Override public CompletionStage<Void> cycle(PowerTarget t) { return count("cycle", t, () -> d.cycle(t)); }
    @Override public CompletionStage<PowerStatus> status(PowerTarget t) { return count("status", t, () -> d.status(t)); }
    @Override public CompletionStage<PowerReading> powerReading(PowerTarget t) { return count("powerReading", t, () -> d.powerReading(t)); }
  }
}
