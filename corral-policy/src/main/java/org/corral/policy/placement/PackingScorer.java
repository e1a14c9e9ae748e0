package org.corral.policy.placement;

import java.util.function.Supplier;
import java.util.Locale;

/**
 * Fills the fullest host first, so that fewer hosts stay on (the energy study's point): the
 * host's memory share after placing the VM, then its CPU share as a tie-break.
 */
final class PackingScorer implements HostScorer {
  @Override
  public String name() {
    return "PACKING";
  }

  @Override
  public double score(PlacementState s, int h, Candidate vm) {
    double memory = (double) (s.memoryReserved[h] + vm.memoryMib()) / s.memoryCapacity[h];
    double cpu = Math.min(1, (s.cpuReserved[h] + vm.cpus()) / s.cpuCapacity[h]);
    return Math.min(1, memory) * (1 - TIE_BREAK) + cpu * TIE_BREAK;
  }

  @Override
  public Supplier<String> why(PlacementState s, int h, Candidate vm) {
    double full = 100.0 * (s.memoryReserved[h] + vm.memoryMib()) / s.memoryCapacity[h];
    long memoryLeft = s.freeMemory(h) - vm.memoryMib();
    double cpusLeft = s.freeCpus(h) - vm.cpus();
    return () -> String.format(Locale.ROOT, "memory %.0f%% full after, %d MiB and %.1f vCPUs left", full, memoryLeft, cpusLeft);
  }
}
