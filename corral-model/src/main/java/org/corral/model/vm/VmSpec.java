package org.corral.model.vm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.corral.model.InvalidInputException;
import org.corral.model.Labels;
import org.corral.model.Names;
import org.corral.model.Resources;

/**
 * What a user asks for. Structural checks happen here (sizes, names); checks against the rest of
 * the world (does the network exist? does the expression compile?) happen at admission in the
 * controller.
 *
 * @param cpus              vCPUs, ≥ 1
 * @param memoryMib         memory, ≥ 1
 * @param requirements      CEL expression over {@code host} that must be true, or null
 * @param policy            per-VM override of the default placement policy, or null
 * @param rank              CEL expression ranking hosts (higher wins) when policy is CUSTOM
 * @param affinityGroup     VMs sharing this name go on the same host, or null
 * @param antiAffinityGroup VMs sharing this name go on different hosts, or null
 * @param ha                what is done when the VM's host fails or it crashes ({@link HaLevel#DEFAULT} when null)
 * @param userData          cloud-init user data, or null
 * @param services          services checked inside the VM, healed by the Guardian's escalation (docs/high-availability.md); none when null
 */
public record VmSpec(
    int cpus,
    long memoryMib,
    List<DiskSpec> disks,
    List<NicSpec> nics,
    @Nullable String requirements,
    @Nullable PlacementPolicy policy,
    @Nullable String rank,
    @Nullable String affinityGroup,
    @Nullable String antiAffinityGroup,
    HaLevel ha,
    @Nullable String userData,
    Map<String, String> labels,
    List<ServiceCheck> services,
    List<String> dependsOn) {

  public static final long MAX_MEMORY_MIB = 16L * 1024 * 1024;
  public static final int MAX_CPUS = 1024;
  /**
   * Disks and NICs per VM. Each virtio disk and NIC takes one slot of the guest's PCI bus (32
   * slots, of which the host bridge, ISA bridge, video, balloon and the guest-agent channel take
   * about five); 16 disks and 8 NICs stay within it on every machine type.
   */
  public static final int MAX_DISKS = 16;
  public static final int MAX_NICS = 8;
  /** cloud-init user data in bytes (UTF-8): cloud-init's own sources commonly allow 64 KiB (EC2: 16 KB). */
  public static final int MAX_USER_DATA_BYTES = 64 * 1024;
  /** Characters of a requirements or rank expression: a placement rule, not a program. */
  public static final int MAX_EXPRESSION = 4096;
  /** Virtual size of a disk: 64 TiB, beyond any real volume, far from overflowing a byte count. */
  public static final long MAX_DISK_GIB = 64L * 1024;

  public VmSpec {
    // Nulls are kept (not List.copyOf, which throws) so that validate() names the empty entry.
    disks = disks == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(disks));
    nics = nics == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(nics));
    labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    requirements = blankToNull(requirements);
    rank = blankToNull(rank);
    affinityGroup = blankToNull(affinityGroup);
    antiAffinityGroup = blankToNull(antiAffinityGroup);
    ha = ha == null ? HaLevel.DEFAULT : ha;
    services = services == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(services));
    dependsOn = dependsOn == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dependsOn));
  }

  /** VMs one VM may depend on at most. */
  public static final int MAX_DEPENDS_ON = 16;

  /** A spec without dependencies on other VMs (the form before {@code dependsOn} was added). */
  public VmSpec(int cpus, long memoryMib, List<DiskSpec> disks, List<NicSpec> nics, @Nullable String requirements,
      @Nullable PlacementPolicy policy, @Nullable String rank, @Nullable String affinityGroup, @Nullable String antiAffinityGroup,
      HaLevel ha, @Nullable String userData, Map<String, String> labels, List<ServiceCheck> services) {
    this(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, labels, services,
        List.of());
  }

  /** The same spec depending on these VMs: it starts after they run, and its services restart after they restart. */
  public VmSpec withDependsOn(List<String> vms) {
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, labels,
        services, vms);
  }

  /** A spec without service checks (the form before {@code services} was added). */
  public VmSpec(int cpus, long memoryMib, List<DiskSpec> disks, List<NicSpec> nics, @Nullable String requirements,
      @Nullable PlacementPolicy policy, @Nullable String rank, @Nullable String affinityGroup, @Nullable String antiAffinityGroup,
      HaLevel ha, @Nullable String userData, Map<String, String> labels) {
    this(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, labels, List.of());
  }

  /** The same spec with these service checks (docs/high-availability.md, "Service checks"). */
  public VmSpec withServices(List<ServiceCheck> s) {
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, labels, s, dependsOn);
  }

  /** The smallest useful spec: n vCPUs and m MiB, nothing else. */
  public static VmSpec of(int cpus, long memoryMib) {
    return new VmSpec(cpus, memoryMib, List.of(), List.of(), null, null, null, null, null, HaLevel.DEFAULT, null, Map.of());
  }

  public VmSpec withRequirements(String expr) {
    return new VmSpec(cpus, memoryMib, disks, nics, expr, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, labels, services, dependsOn);
  }

  public VmSpec withPolicy(PlacementPolicy p, String rankExpr) {
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, p, rankExpr, affinityGroup, antiAffinityGroup, ha, userData, labels, services, dependsOn);
  }

  public VmSpec withGroups(String affinity, String antiAffinity) {
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, policy, rank, affinity, antiAffinity, ha, userData, labels, services, dependsOn);
  }

  public VmSpec withUserData(@Nullable String data) {
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, data, labels, services);
  }

  public VmSpec withNics(List<NicSpec> n) {
    return new VmSpec(cpus, memoryMib, disks, n, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, labels, services, dependsOn);
  }

  /** The same spec with these labels (validated as any spec's). */
  public VmSpec withLabels(Map<String, String> l) {
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, l, services);
  }

  public VmSpec withHa(HaLevel level) {
    return new VmSpec(cpus, memoryMib, disks, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, level, userData, labels, services, dependsOn);
  }

  public VmSpec withDisks(List<DiskSpec> d) {
    return new VmSpec(cpus, memoryMib, d, nics, requirements, policy, rank, affinityGroup, antiAffinityGroup, ha, userData, labels, services, dependsOn);
  }

  public Resources demand() {
    return new Resources(cpus, memoryMib);
  }

  /** Checks what can be checked without context; throws naming the field. Returns this. */
  public VmSpec validate() {
    if (cpus < 1 || cpus > MAX_CPUS) {
      throw new InvalidInputException("spec.cpus", "must be between 1 and " + MAX_CPUS + ", got " + cpus, "give a whole number of vCPUs, e.g. --cpus 2");
    }
    if (memoryMib < 1 || memoryMib > MAX_MEMORY_MIB) {
      throw new InvalidInputException("spec.memoryMib", "must be between 1 and " + MAX_MEMORY_MIB + " MiB, got " + memoryMib, "give memory in MiB, e.g. --memory 2048");
    }
    if (policy == PlacementPolicy.CUSTOM && rank == null) {
      throw new InvalidInputException("spec.rank", "is required when spec.policy is CUSTOM", "give a CEL expression such as 'host.free.memoryMib'");
    }
    if (rank != null && policy != PlacementPolicy.CUSTOM) {
      throw new InvalidInputException("spec.rank", "is only used with policy CUSTOM", "set spec.policy to CUSTOM or drop spec.rank");
    }
    if (requirements != null && requirements.length() > MAX_EXPRESSION) {
      throw new InvalidInputException("spec.requirements", "has " + requirements.length() + " characters, more than " + MAX_EXPRESSION,
          "write a shorter expression; put long lists in host labels");
    }
    if (rank != null && rank.length() > MAX_EXPRESSION) {
      throw new InvalidInputException("spec.rank", "has " + rank.length() + " characters, more than " + MAX_EXPRESSION,
          "write a shorter expression");
    }
    if (userData != null && (userData.length() > MAX_USER_DATA_BYTES
        || userData.getBytes(StandardCharsets.UTF_8).length > MAX_USER_DATA_BYTES)) {
      throw new InvalidInputException("spec.userData", "is larger than " + MAX_USER_DATA_BYTES + " bytes",
          "keep cloud-init user data under 64 KiB: fetch large files from the guest (e.g. cloud-init's write_files with a URL)");
    }
    Labels.require("spec.labels", labels);
    if (affinityGroup != null) {
      Names.require("spec.affinityGroup", affinityGroup);
    }
    if (antiAffinityGroup != null) {
      Names.require("spec.antiAffinityGroup", antiAffinityGroup);
    }
    if (disks.size() > MAX_DISKS) {
      throw new InvalidInputException("spec.disks", "has " + disks.size() + " disks, more than " + MAX_DISKS,
          "give at most " + MAX_DISKS + " disks (each takes a PCI slot in the guest)");
    }
    if (nics.size() > MAX_NICS) {
      throw new InvalidInputException("spec.nics", "has " + nics.size() + " NICs, more than " + MAX_NICS,
          "give at most " + MAX_NICS + " NICs (each takes a PCI slot in the guest)");
    }
    for (int i = 0; i < disks.size(); i++) {
      DiskSpec d = disks.get(i);
      if (d == null) {
        throw new InvalidInputException("spec.disks[" + i + "]", "is empty", "give {image: NAME}");
      }
      Names.require("spec.disks[" + i + "].image", d.image());
      if (d.sizeGib() < 0 || d.sizeGib() > MAX_DISK_GIB) {
        throw new InvalidInputException("spec.disks[" + i + "].sizeGib", "must be from 0 to " + MAX_DISK_GIB + ", got " + d.sizeGib(),
            "give the size in GiB; 0 keeps the image's size");
      }
    }
    for (int i = 0; i < nics.size(); i++) {
      NicSpec n = nics.get(i);
      if (n == null) {
        throw new InvalidInputException("spec.nics[" + i + "]", "is empty", "give {network: NAME}");
      }
      Names.require("spec.nics[" + i + "].network", n.network());
    }
    if (dependsOn.size() > MAX_DEPENDS_ON) {
      throw new InvalidInputException("spec.dependsOn", "names " + dependsOn.size() + " VMs, more than " + MAX_DEPENDS_ON,
          "name the few VMs this one cannot work without");
    }
    for (int i = 0; i < dependsOn.size(); i++) {
      String d = dependsOn.get(i);
      if (d == null) {
        throw new InvalidInputException("spec.dependsOn[" + i + "]", "is empty", "give the name of a VM, or drop the entry");
      }
      Names.require("spec.dependsOn[" + i + "]", d);
      if (dependsOn.indexOf(d) != i) {
        throw new InvalidInputException("spec.dependsOn[" + i + "]", "names " + d + " twice", "drop the repeated entry");
      }
    }
    return this;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
