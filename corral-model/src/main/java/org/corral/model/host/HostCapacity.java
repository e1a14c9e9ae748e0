package org.corral.model.host;

import org.corral.model.InvalidInputException;
import org.corral.model.Resources;

/**
 * What a host offers: physical cores, the speed of one core (MHz, the "CPU capacity figure" that
 * makes a 2 GHz core and a 3 GHz core comparable), and memory in MiB.
 */
public record HostCapacity(int cores, int mhzPerCore, long memoryMib) {
  public HostCapacity {
    if (cores <= 0) {
      throw new InvalidInputException("capacity.cores", "must be positive, got " + cores, "give the host's physical core count");
    }
    if (mhzPerCore <= 0) {
      throw new InvalidInputException("capacity.mhzPerCore", "must be positive, got " + mhzPerCore, "give the speed of one core in MHz, e.g. 2600");
    }
    if (memoryMib <= 0) {
      throw new InvalidInputException("capacity.memoryMib", "must be positive, got " + memoryMib, "give the host's memory in MiB, e.g. 65536");
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
