package org.corral.model.auth;

/**
 * What a user's or group's VMs hold against a {@link Quota}: VMs, vCPUs, memory and disk, as
 * asked for in their specs (not what they use at the moment).
 */
public record Usage(long vms, long cpus, long memoryMib, long diskGib) {
  public static final Usage NONE = new Usage(0, 0, 0, 0);

  public Usage plus(Usage o) {
    return new Usage(vms + o.vms, cpus + o.cpus, memoryMib + o.memoryMib, diskGib + o.diskGib);
  }

  public Usage minus(Usage o) {
    return new Usage(vms - o.vms, cpus - o.cpus, memoryMib - o.memoryMib, diskGib - o.diskGib);
  }

  public boolean isZero() {
    return vms == 0 && cpus == 0 && memoryMib == 0 && diskGib == 0;
  }
}
