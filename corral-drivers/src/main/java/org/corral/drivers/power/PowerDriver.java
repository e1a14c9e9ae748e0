package org.corral.drivers.power;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Switches hosts on and off. A driver returns once the command was accepted (the BMC answered,
 * the magic packet left, the shutdown command ran); the executor then waits for the host's
 * hypervisor to answer (on) or stop answering (off) on its own timers, so waiting on one host
 * never blocks another.
 */
public interface PowerDriver {
  /** URI schemes handled: {@code ipmi}, {@code wol}, {@code ssh}, {@code sim}. */
  Set<String> schemes();

  CompletionStage<Void> powerOn(PowerTarget target);

  /** {@code hard}: cut power now (fencing); otherwise a graceful shutdown. */
  CompletionStage<Void> powerOff(PowerTarget target, boolean hard);

  /** Power cycle (IPMI); drivers that cannot fail with UNSUPPORTED. */
  CompletionStage<Void> cycle(PowerTarget target);

  /** What the power controller says; {@link PowerStatus#UNKNOWN} when it cannot tell (Wake-on-LAN). */
  CompletionStage<PowerStatus> status(PowerTarget target);

  /**
   * The power the host draws now, as its power controller measures it (IPMI: {@code ipmitool dcmi
   * power reading}). An optional capability: drivers that cannot measure keep this default, which
   * answers {@link PowerReading.NotReported} at once. Like the other calls it never blocks the
   * caller; it fails (UNREACHABLE, AUTH, TIMEOUT ...) only when the controller could not be asked,
   * not when it answered that it does not measure.
   */
  default CompletionStage<PowerReading> powerReading(PowerTarget target) {
    String uri = target.uri() == null ? "" : target.uri();
    int colon = uri.indexOf(':');
    String scheme = colon > 0 ? uri.substring(0, colon) : "this";
    return CompletableFuture.completedFuture(new PowerReading.NotReported(scheme + " power control does not measure power"));
  }

  /**
   * Soft fencing: restarts the host's hypervisor daemon (libvirtd) without touching its power or
   * its running guests, for a host whose hypervisor stopped answering. Completes once the restart
   * command was accepted; the caller then waits for the hypervisor to answer. Drivers that cannot
   * keep this default: UNSUPPORTED.
   */
  default CompletionStage<Void> restartHypervisor(PowerTarget target) {
    return CompletableFuture.failedFuture(new org.corral.drivers.DriverException(org.corral.drivers.DriverException.Kind.UNSUPPORTED,
        "this power method cannot restart the hypervisor of " + target.host() + " (soft fencing); use an ssh:// URI in power.soft"));
  }
}
