package org.corral.policy.consolidation;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a VM selector reads about one VM on a host to be relieved.
 *
 * @param vm           the VM's name
 * @param vcpus        its vCPUs
 * @param memoryMib    its memory: what a live migration must copy
 * @param utilisation  the CPU it uses now, as a share of its own vCPUs (0..1)
 * @param history      its past utilisation samples, oldest first
 */
public record VmLoad(String vm, int vcpus, long memoryMib, double utilisation, double[] history) {
  public VmLoad {
    Objects.requireNonNull(vm, "vm");
    history = history.clone();
  }

  /** CPU in use now, in vCPUs. */
  public double load() {
    return utilisation * vcpus;
  }

  @Override
  public double[] history() {
    return history.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VmLoad l && vm.equals(l.vm) && vcpus == l.vcpus && memoryMib == l.memoryMib
        && Double.compare(utilisation, l.utilisation) == 0 && Arrays.equals(history, l.history);
  }

  @Override
  public int hashCode() {
    return Objects.hash(vm, vcpus, memoryMib, utilisation, Arrays.hashCode(history));
  }

  @Override
  public String toString() {
    return vm + " (" + vcpus + " vCPUs, " + memoryMib + " MiB, " + utilisation + ")";
  }
}
