package org.corral.controller.command;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.ServiceCheck;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;

/**
 * What `POST /vms` and `corral vm create` send. Only name, cpus and memoryMib are required.
 * {@code haPriority} is the former numeric HA setting: it is refused with the way to say it now.
 */
public record VmRequest(String name, @Nullable Integer cpus, @Nullable Long memoryMib, @Nullable List<DiskSpec> disks,
    @Nullable List<NicSpec> nics, @Nullable String requirements, @Nullable PlacementPolicy policy, @Nullable String rank,
    @Nullable String affinityGroup, @Nullable String antiAffinityGroup, @Nullable HaLevel ha, @Nullable Integer haPriority,
    @Nullable String userData, @Nullable Map<String, String> labels, @Nullable Boolean hold, @Nullable List<ServiceCheck> services,
    @Nullable List<String> dependsOn) {

  /** A request without dependencies on other VMs. */
  public VmRequest(String name, @Nullable Integer cpus, @Nullable Long memoryMib, @Nullable List<DiskSpec> disks,
      @Nullable List<NicSpec> nics, @Nullable String requirements, @Nullable PlacementPolicy policy, @Nullable String rank,
      @Nullable String affinityGroup, @Nullable String antiAffinityGroup, @Nullable HaLevel ha, @Nullable Integer haPriority,
      @Nullable String userData, @Nullable Map<String, String> labels, @Nullable Boolean hold, @Nullable List<ServiceCheck> services) {
    this(name, cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, haPriority, userData,
        labels, hold, services, null);
  }

  /** A request without service checks. */
  public VmRequest(String name, @Nullable Integer cpus, @Nullable Long memoryMib, @Nullable List<DiskSpec> disks,
      @Nullable List<NicSpec> nics, @Nullable String requirements, @Nullable PlacementPolicy policy, @Nullable String rank,
      @Nullable String affinityGroup, @Nullable String antiAffinityGroup, @Nullable HaLevel ha, @Nullable Integer haPriority,
      @Nullable String userData, @Nullable Map<String, String> labels, @Nullable Boolean hold) {
    this(name, cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, haPriority, userData,
        labels, hold, null);
  }

  /** The same request with these service checks. */
  public VmRequest withServices(List<ServiceCheck> s) {
    return new VmRequest(name, cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, haPriority,
        userData, labels, hold, s, dependsOn);
  }

  /** The same request depending on these VMs ({@code corral vm create --depends-on}). */
  public VmRequest withDependsOn(List<String> vms) {
    return new VmRequest(name, cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, haPriority,
        userData, labels, hold, services, vms);
  }

  public static VmRequest of(String name, int cpus, long memoryMib) {
    return new VmRequest(name, cpus, memoryMib, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  VmSpec spec() {
    if (cpus == null) {
      throw new org.corral.model.InvalidInputException("cpus", "is missing", "give the number of vCPUs, e.g. \"cpus\": 2");
    }
    if (memoryMib == null) {
      throw new org.corral.model.InvalidInputException("memoryMib", "is missing", "give memory in MiB, e.g. \"memoryMib\": 2048");
    }
    if (haPriority != null) {
      throw new org.corral.model.InvalidInputException("haPriority", "was replaced by ha",
          "give \"ha\": \"HIGH\", \"MEDIUM\", \"LOW\" or \"NONE\" (a former priority above 0 is HIGH, 0 is MEDIUM)");
    }
    // Lists and labels left out are none, as VmSpec itself reads a null.
    return new VmSpec(cpus, memoryMib, Objects.requireNonNullElse(disks, List.of()), Objects.requireNonNullElse(nics, List.of()),
        requirements, policy, rank, affinityGroup, antiAffinityGroup, Objects.requireNonNullElse(ha, HaLevel.DEFAULT), userData,
        Objects.requireNonNullElse(labels, Map.of()), Objects.requireNonNullElse(services, List.of()),
        Objects.requireNonNullElse(dependsOn, List.of()));
  }
}
