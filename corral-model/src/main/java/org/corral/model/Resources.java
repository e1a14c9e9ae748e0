package org.corral.model;

/**
 * An amount of CPU (in cores or vCPUs; fractional so that overcommit ratios compose) and
 * memory (MiB). Immutable; arithmetic returns new values.
 */
public record Resources(double cpus, long memoryMib) {
  public static final Resources ZERO = new Resources(0, 0);

  public Resources plus(Resources o) {
    return new Resources(cpus + o.cpus, memoryMib + o.memoryMib);
  }

  public Resources minus(Resources o) {
    return new Resources(cpus - o.cpus, memoryMib - o.memoryMib);
  }

  /** True when {@code demand} fits in this amount (both dimensions). */
  public boolean fits(Resources demand) {
    // A small epsilon keeps 0.1+0.2 style sums from refusing an exact fit.
    return demand.cpus <= cpus + 1e-9 && demand.memoryMib <= memoryMib;
  }
}
