package org.corral.model.auth;

import java.util.ArrayList;
import java.util.List;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Limits on what a user's (or a group's) VMs may hold together; a null limit is no limit.
 *
 * @param vms       VMs, whatever their state
 * @param cpus      vCPUs summed over the specs
 * @param memoryMib memory in MiB summed over the specs
 * @param diskGib   disk in GiB summed over the disks of the specs (a disk of size 0 counts its image's size)
 */
public record Quota(@Nullable Long vms, @Nullable Long cpus, @Nullable Long memoryMib, @Nullable Long diskGib) {
  public static final Quota NONE = new Quota(null, null, null, null);
  /** Largest limit accepted: far above any cluster, far from overflowing a sum. */
  public static final long MAX = 1L << 40;

  public Quota {
    check("vms", vms);
    check("cpus", cpus);
    check("memoryMib", memoryMib);
    check("diskGib", diskGib);
  }

  private static void check(String field, @Nullable Long limit) {
    if (limit != null && (limit < 0 || limit > MAX)) {
      throw new InvalidInputException(field, "must be from 0 to " + MAX + ", got " + limit, "give a limit, or leave it out for none");
    }
  }

  public boolean isNone() {
    return vms == null && cpus == null && memoryMib == null && diskGib == null;
  }

  /** One limit {@code usage + asked} goes over. */
  public record Excess(String limit, long allowed, long used, long asked) {}

  /** The limits that {@code used + asked} would exceed, in the order vms, cpus, memoryMib, diskGib; empty when it fits. */
  public List<Excess> excesses(Usage used, Usage asked) {
    List<Excess> out = new ArrayList<>(0);
    over(out, "vms", vms, used.vms(), asked.vms());
    over(out, "cpus", cpus, used.cpus(), asked.cpus());
    over(out, "memoryMib", memoryMib, used.memoryMib(), asked.memoryMib());
    over(out, "diskGib", diskGib, used.diskGib(), asked.diskGib());
    return out;
  }

  private static void over(List<Excess> out, String name, @Nullable Long limit, long used, long asked) {
    if (limit != null && asked > 0 && used + asked > limit) {
      out.add(new Excess(name, limit, used, asked));
    }
  }
}
