package org.corral.controller.command;

import java.util.List;
import java.util.Map;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.VmSpec;

/** What `POST /vms` and `corral vm create` send. Only name, cpus and memoryMib are required. */
public record VmRequest(String name, Integer cpus, Long memoryMib, List<DiskSpec> disks, List<NicSpec> nics,
    String requirements, PlacementPolicy policy, String rank, String affinityGroup, String antiAffinityGroup,
    Integer haPriority, String userData, Map<String, String> labels, Boolean hold) {

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
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup,
        haPriority == null ? 0 : haPriority, userData, labels);
  }
}
