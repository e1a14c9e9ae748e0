package org.corral.drivers.power;

import java.util.Set;
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
}
