package org.corral.controller.executor;

import org.corral.controller.state.ControllerState;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.vm.Vm;
import org.jspecify.annotations.Nullable;

/** The executor's re-check of room on a host just before it acts (the plan may be stale). */
final class Capacity {
  private Capacity() {}

  /** Null when {@code vm} fits on {@code host} now; else why not. */
  static @Nullable String fits(ControllerState s, Host host, Vm vm, double cpuOvercommit) {
    Resources reserved = s.reservedOn(host.name(), vm.name());
    Resources free = host.capacity().schedulable(cpuOvercommit).minus(reserved);
    if (!free.fits(vm.spec().demand())) {
      return "host " + host.name() + " no longer has room (free " + String.format("%.1f", free.cpus()) + " CPUs, "
          + free.memoryMib() + " MiB; needs " + vm.spec().cpus() + " CPUs, " + vm.spec().memoryMib() + " MiB)";
    }
    return null;
  }
}
