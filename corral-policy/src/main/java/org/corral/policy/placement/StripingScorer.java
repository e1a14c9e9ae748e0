package org.corral.policy.placement;

import java.util.function.Supplier;
import java.util.Locale;

/** Spreads VMs: the host with the fewest VMs wins, then the one with most free memory share. */
final class StripingScorer implements HostScorer {
  @Override
  public String name() {
    return "STRIPING";
  }

  @Override
  public double score(PlacementState s, int h, Candidate vm) {
    double fewest = 1.0 / (s.vms[h] + 2);
    double emptiest = 1 - Math.min(1, (double) (s.memoryReserved[h] + vm.memoryMib()) / s.memoryCapacity[h]);
    return fewest * (1 - TIE_BREAK) + emptiest * TIE_BREAK;
  }

  @Override
  public Supplier<String> why(PlacementState s, int h, Candidate vm) {
    int before = s.vms[h];
    long memoryLeft = s.freeMemory(h) - vm.memoryMib();
    return () -> String.format(Locale.ROOT, "%d VMs there before, %d MiB left after", before, memoryLeft);
  }
}
