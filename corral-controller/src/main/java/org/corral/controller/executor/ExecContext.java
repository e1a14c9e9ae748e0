package org.corral.controller.executor;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.corral.controller.connection.HostConnections;
import org.corral.controller.connection.Stages;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.Drivers;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerTarget;
import org.corral.model.host.Host;
import org.corral.model.time.Clock;
import org.jspecify.annotations.Nullable;

/** What a step may use while it runs. Everything it returns completes on the loop. */
final class ExecContext {
  final Clock clock;
  final ControllerState state;
  final HostConnections connections;
  final Drivers drivers;
  final ExecutorSettings settings;

  ExecContext(Clock clock, ControllerState state, HostConnections connections, Drivers drivers,
      ExecutorSettings settings) {
    this.clock = clock;
    this.state = state;
    this.connections = connections;
    this.drivers = drivers;
    this.settings = settings;
  }

  /**
   * Runs {@code s} on the loop (state reads and intermediate transitions) and completes once what
   * it committed is in the store: the driver call that follows never runs ahead of the state
   * that announces it.
   */
  <T> CompletionStage<T> loop(Supplier<T> s) {
    return Stages.onLoop(clock, s).thenCompose(v -> state.durable().thenApply(x -> v));
  }

  /** The hypervisor connection of {@code host}. */
  CompletionStage<HypervisorConnection> connect(String host) {
    return loop(() -> state.requireHost(host)).thenCompose(connections::get);
  }

  /** Hands the stage's result back on the loop, whatever thread the driver completed it on. */
  <T> CompletionStage<T> hop(CompletionStage<T> stage) {
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete((v, e) -> clock.execute(() -> {
      if (e != null) {
        out.completeExceptionally(e);
      } else {
        out.complete(v);
      }
    }));
    return out;
  }

  /**
   * Asks {@code check} every {@code settings.powerPollInterval()} until it answers true, or
   * fails with TIMEOUT ({@code timeoutMessage}) once {@code within} has passed. Waits on the
   * clock, so waiting for one host never blocks another.
   */
  CompletionStage<Void> pollUntil(Supplier<CompletionStage<Boolean>> check, java.time.Duration within,
      Supplier<String> timeoutMessage) {
    java.time.Instant deadline = clock.now().plus(within);
    return poll(check, deadline, timeoutMessage);
  }

  private CompletionStage<Void> poll(Supplier<CompletionStage<Boolean>> check, java.time.Instant deadline,
      Supplier<String> timeoutMessage) {
    return hop(check.get()).thenCompose(done -> {
      if (done) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      if (!clock.now().isBefore(deadline)) {
        return CompletableFuture.<Void>failedFuture(new org.corral.drivers.DriverException(
            org.corral.drivers.DriverException.Kind.TIMEOUT, timeoutMessage.get()));
      }
      return Stages.delay(clock, settings.powerPollInterval()).thenCompose(v -> poll(check, deadline, timeoutMessage));
    });
  }

  /** True when the host's hypervisor answers now (a fresh connection, not a cached one). */
  CompletionStage<Boolean> hypervisorAnswers(String host, @Nullable String[] lastError) {
    connections.drop(host);
    return connect(host).handle((c, e) -> {
      if (e != null) {
        lastError[0] = org.corral.drivers.DriverException.of(e).getMessage();
      }
      return e == null;
    });
  }

  PowerDriver powerOn(Host h) {
    return drivers.powerFor("power.on", h.power().on());
  }

  PowerDriver powerOff(Host h) {
    return drivers.powerFor(h.power().off() != null ? "power.off" : "power.on", h.power().offOrOn());
  }

  /**
   * The power target of {@code h}: its power-off method ({@code off}) or its power-on method, which
   * the step's precheck required and {@link #powerOn}/{@link #powerOff} accepted first.
   */
  static PowerTarget target(Host h, boolean off) {
    String uri = Objects.requireNonNull(off ? h.power().offOrOn() : h.power().on(),
        () -> "host " + h.name() + " has no power-" + (off ? "off" : "on") + " method");
    return new PowerTarget(h.name(), uri, h.power().mac());
  }
}
