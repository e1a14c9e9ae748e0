package org.corral.controller.executor;

import java.util.List;
import java.util.Set;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;
import org.jspecify.annotations.Nullable;

/**
 * What the three power actions share: one host, the POWER pool, a set of states they start
 * from, a state while they run, and one state each for success and failure. Subclasses say which
 * states and how to drive the power controller.
 */
abstract sealed class PowerStep implements Step permits PowerOnStep, PowerOffStep, FenceStep {
  final Action action;
  final String host;
  private final Set<HostState> from;
  private final HostState during;
  private final HostState succeeded;
  private final HostState failed;

  PowerStep(Action action, String host, Set<HostState> from, HostState during, HostState succeeded, HostState failed) {
    this.action = action;
    this.host = host;
    this.from = from;
    this.during = during;
    this.succeeded = succeeded;
    this.failed = failed;
  }

  @Override public final Action action() { return action; }

  @Override public final Pool pool() { return Pool.POWER; }

  @Override public final List<String> hosts() { return List.of(host); }

  /** Null when the host has what this action needs (a power method, no VMs ...); else why not. */
  abstract @Nullable String missing(ControllerState s, Host h);

  /** The reason shown while the action runs, e.g. "powering on via ipmi". */
  abstract String duringReason(Host h);

  abstract String successReason();

  abstract String failurePrefix();

  @Override
  public final @Nullable String precheck(ControllerState s) {
    Host h = s.host(host).orElse(null);
    if (h == null) {
      return "host " + host + " no longer exists";
    }
    if (!from.contains(h.state())) {
      return "host " + host + " is " + h.state() + "; " + action.verb() + " needs it " + from.stream().map(Enum::name).sorted().toList();
    }
    return missing(s, h);
  }

  @Override
  public final void begin(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(host);
    tx.hostState(h, h.withState(during, duringReason(h), s.clock().now()), action.key(), action.cause());
  }

  @Override
  public final void succeed(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(host);
    tx.hostState(h, h.withState(succeeded, successReason(), s.clock().now()), action.key(), action.cause());
  }

  @Override
  public final void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Host h = s.requireHost(host);
    tx.hostState(h, h.withState(failed, failurePrefix() + error.getMessage(), s.clock().now()), action.key(), action.cause());
  }

  static String scheme(@Nullable String uri) {
    if (uri == null) {
      return "null";
    }
    int i = uri.indexOf(':');
    return i > 0 ? uri.substring(0, i) : uri;
  }
}
