package org.corral.controller.command;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;

/** What `POST /vms` and `corral vm create` send. Only name, cpus and memoryMib are required. */
public record VmRequest(String name, @Nullable Integer cpus, @Nullable Long memoryMib, @Nullable List<DiskSpec> disks,
    @Nullable List<NicSpec> nics, @Nullable String requirements, @Nullable PlacementPolicy policy, @Nullable String rank,
    @Nullable String affinityGroup, @Nullable String antiAffinityGroup, @Nullable Integer haPriority,
    @Nullable String userData, @Nullable Map<String, String> labels, @Nullable Boolean hold) {

  public static VmRequest of(String name, int cpus, long memoryMib) {
    return new VmRequest(name, cpus, memoryMib, null, null, null, null, null, null, null, null, null, null, null);
  }

  VmSpec spec() {
    if (cpus == null) {
      throw new org.corral.model.InvalidInputException("cpus", "is missing", "give the number of vCPUs, e.g. \"cpus\": 2");
    }
    if (memoryMib == null) {
      throw new org.corral.model.InvalidInputException("memoryMib", "is missing", "give memory in MiB, e.g. \"memoryMib\": 2048");
    }
    // Lists and labels left out are none, as VmSpec itself reads a null.
    return new VmSpec(cpus, memoryMib, Objects.requireNonNullElse(disks, List.of()), Objects.requireNonNullElse(nics, List.of()),
        requirements, policy, rank, affinityGroup, antiAffinityGroup, haPriority == null ? 0 : haPriority, userData,
        Objects.requireNonNullElse(labels, Map.of()));
  }
}
