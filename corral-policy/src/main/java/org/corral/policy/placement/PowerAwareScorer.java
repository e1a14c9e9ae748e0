package org.corral.policy.placement;

import java.util.function.Supplier;
import java.util.Locale;

/**
 * Smallest increase in watts. Utilisation is estimated as reserved vCPUs over schedulable vCPUs;
 * an empty host is charged from its off draw, since the optimizer could switch it off, so waking
 * an idle host costs its whole idle draw.
 */
final class PowerAwareScorer implements HostScorer {
  @Override
  public String name() {
    return "POWER_AWARE";
  }

  @Override
  public double score(PlacementState s, int h, Candidate vm) {
    return Math.max(0, 1 - extraWatts(s, h, vm) / s.largestMaxWatts);
  }

  static double extraWatts(PlacementState s, int h, Candidate vm) {
    var model = s.power[h];
    boolean empty = s.vms[h] == 0 && s.cpuReserved[h] == 0;
    double before = empty ? model.offWatts() : model.wattsAt(s.cpuReserved[h] / s.cpuCapacity[h]);
    double after = model.wattsAt((s.cpuReserved[h] + vm.cpus()) / s.cpuCapacity[h]);
    return after - before;
  }

  @Override
  public Supplier<String> why(PlacementState s, int h, Candidate vm) {
    double watts = extraWatts(s, h, vm);
    return () -> String.format(Locale.ROOT, "+%.1f W", watts);
  }
}
