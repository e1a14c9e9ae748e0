package org.corral.model.host;

import org.corral.model.InvalidInputException;
import org.corral.model.Resources;

/**
 * What a host offers: physical cores, the speed of one core (MHz, the "CPU capacity figure" that
 * makes a 2 GHz core and a 3 GHz core comparable), and memory in MiB.
 */
public record HostCapacity(int cores, int mhzPerCore, long memoryMib) {
  /** Upper bounds well above any machine built, so that sums over a cluster cannot overflow. */
  public static final int MAX_CORES = 65_536;
  public static final int MAX_MHZ = 100_000;
  public static final long MAX_MEMORY_MIB = 1L << 30; // 1 EiB

  public HostCapacity {
    if (cores <= 0 || cores > MAX_CORES) {
      throw new InvalidInputException("capacity.cores", "must be from 1 to " + MAX_CORES + ", got " + cores, "give the host's physical core count");
    }
    if (mhzPerCore <= 0 || mhzPerCore > MAX_MHZ) {
      throw new InvalidInputException("capacity.mhzPerCore", "must be from 1 to " + MAX_MHZ + ", got " + mhzPerCore,
          "give the speed of one core in MHz, e.g. 2600");
    }
    if (memoryMib <= 0 || memoryMib > MAX_MEMORY_MIB) {
      throw new InvalidInputException("capacity.memoryMib", "must be from 1 to " + MAX_MEMORY_MIB + ", got " + memoryMib,
          "give the host's memory in MiB, e.g. 65536");
    }
  }

  /** Total CPU in MHz (cores × speed), the unit in which utilisation is weighed. */
  public long totalMhz() {
    return (long) cores * mhzPerCore;
  }

  /** Schedulable resources: cores times the CPU overcommit ratio, and all memory. */
  public Resources schedulable(double cpuOvercommit) {
    return new Resources(cores * cpuOvercommit, memoryMib);
  }
}
