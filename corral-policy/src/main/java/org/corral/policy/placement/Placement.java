package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One placement decision as data: "vm12 → node4, score, why". The scheduling loop turns it into a
 * DeployVm, the optimizer into a MigrateVm (from {@link #from()}), the guardian into a restart.
 *
 * @param vm       the VM's name
 * @param from     the host the VM holds room on now (it is moving), or null for a new placement
 * @param host     the chosen host
 * @param score    the scorer's score for it (higher is better)
 * @param scorer   the scorer's name, e.g. "PACKING"
 * @param powerOn  true when the host is OFF and must be powered on first (a session that allows
 *                 waking hosts chose it because no host that is on could take the VM)
 */
public record Placement(String vm, @Nullable String from, String host, double score, String scorer, boolean powerOn,
    Supplier<String> why) {
  public Placement {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(why, "why");
  }

  /**
   * A sentence for the action's cause, e.g. "PACKING chose node4: score 0.7500, memory 75% full
   * after, ...". Formatted on each call, so decisions nobody reads cost no formatting.
   */
  public String reason() {
    return scorer + " chose " + host + (powerOn ? " (powered off: wake it)" : "") + ": score "
        + String.format(Locale.ROOT, "%.4f", score) + ", " + why.get();
  }

  /** Equal when every decided value and the reason's text are equal (the supplier itself is not compared). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Placement p && vm.equals(p.vm) && Objects.equals(from, p.from) && host.equals(p.host)
        && Double.compare(score, p.score) == 0 && Objects.equals(scorer, p.scorer) && powerOn == p.powerOn
        && reason().equals(p.reason());
  }

  @Override
  public int hashCode() {
    return Objects.hash(vm, from, host, score, scorer, powerOn);
  }

  @Override
  public String toString() {
    return vm + (from != null ? " from " + from : "") + " -> " + host + " (" + reason() + ")";
  }
}
