package org.corral.controller.executor;

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

/** What a step may use while it runs. Everything it returns completes on the loop. */
final class ExecContext {
  final Clock clock;
  final ControllerState state;
  final HostConnections connections;
  final Drivers drivers;
  final ExecutorSettings settings;
  final String key;

  ExecContext(Clock clock, ControllerState state, HostConnections connections, Drivers drivers,
      ExecutorSettings settings, String key) {
    this.clock = clock;
    this.state = state;
    this.connections = connections;
    this.drivers = drivers;
    this.settings = settings;
    this.key = key;
  }

  /** Runs {@code s} on the loop (state reads and intermediate transitions). */
  <T> CompletionStage<T> loop(Supplier<T> s) {
    return Stages.onLoop(clock, s);
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

  PowerDriver powerOn(Host h) {
    return drivers.powerFor("power.on", h.power().on());
  }

  PowerDriver powerOff(Host h) {
    return drivers.powerFor(h.power().off() != null ? "power.off" : "power.on", h.power().offOrOn());
  }

  static PowerTarget target(Host h, boolean off) {
    return new PowerTarget(h.name(), off ? h.power().offOrOn() : h.power().on(), h.power().mac());
  }
}
