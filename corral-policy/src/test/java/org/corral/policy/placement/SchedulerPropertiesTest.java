package org.corral.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.plan.Action;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.Vm;

/** Safety properties of the scheduler over random snapshots (seeded; jqwik reports the seed). */
class SchedulerPropertiesTest {
  // Shared across tries (compiling CEL dominates a small try); sharing also checks that calls on
  // one Scheduler do not interfere.
  private static final Map<SchedulerSettings, Scheduler> INDEXED = new ConcurrentHashMap<>();
  private static final Map<SchedulerSettings, Scheduler> SCANNING = new ConcurrentHashMap<>();

  private static Scheduler scheduler(SchedulerSettings settings) {
    return INDEXED.computeIfAbsent(settings, Scheduler::new);
  }

  @Property(tries = 300, seed = "20261126")
  void neverOvercommitsAndOnlyUsesUpHosts(@ForAll long seed) {
    RandomLab lab = RandomLab.generate(seed);
    Snapshot s = lab.snapshot();
    PlacementResult r = scheduler(lab.settings()).place(s, lab.pending());
    Map<String, Vm> byName = byName(lab.pending());
    Map<String, Resources> used = new HashMap<>();
    for (Placement d : r.placements()) {
      Host host = s.host(d.host());
      assertThat(host).as("placed on a known host").isNotNull();
      assertThat(host.state().acceptsVms()).as("%s placed on %s which is %s", d.vm(), d.host(), host.state()).isTrue();
      used.merge(d.host(), byName.get(d.vm()).spec().demand(), Resources::plus);
    }
    used.forEach((h, added) -> {
      Resources total = s.reserved(h).plus(added);
      Resources cap = s.host(h).capacity().schedulable(lab.settings().cpuOvercommit());
      assertThat(total.memoryMib()).as("memory on %s", h).isLessThanOrEqualTo(cap.memoryMib());
      assertThat(total.cpus()).as("vCPUs on %s (overcommit %s)", h, lab.settings().cpuOvercommit())
          .isLessThanOrEqualTo(cap.cpus() + 1e-9);
    });
  }

  @Property(tries = 300, seed = "20261126")
  void respectsAntiAffinityAndAffinity(@ForAll long seed) {
    RandomLab lab = RandomLab.generate(seed);
    Snapshot s = lab.snapshot();
    PlacementResult r = scheduler(lab.settings()).place(s, lab.pending());
    Map<String, Vm> byName = byName(lab.pending());
    Map<String, Set<String>> anti = new HashMap<>();
    Map<String, Set<String>> affinity = new HashMap<>();
    for (Vm vm : s.vms().values()) {
      if (vm.host() != null && vm.state().reservesHost()) {
        member(anti, vm.spec().antiAffinityGroup(), vm.host());
        member(affinity, vm.spec().affinityGroup(), vm.host());
      }
    }
    for (Placement d : r.placements()) {
      Vm vm = byName.get(d.vm());
      String antiGroup = vm.spec().antiAffinityGroup();
      if (antiGroup != null) {
        assertThat(anti.getOrDefault(antiGroup, Set.of())).as("%s joins anti-affinity group %s on %s", d.vm(), antiGroup, d.host())
            .doesNotContain(d.host());
      }
      String group = vm.spec().affinityGroup();
      if (group != null && affinity.containsKey(group)) {
        assertThat(affinity.get(group)).as("%s follows affinity group %s", d.vm(), group).contains(d.host());
      }
      member(anti, antiGroup, d.host());
      member(affinity, group, d.host());
    }
  }

  @Property(tries = 300, seed = "20261126")
  void everyVmIsPlacedOnceOrReported(@ForAll long seed) {
    RandomLab lab = RandomLab.generate(seed);
    PlacementResult r = scheduler(lab.settings()).place(lab.snapshot(), lab.pending());
    List<String> out = Stream.concat(r.placements().stream().map(Placement::vm),
        r.unplaced().stream().map(PlacementReport::vm)).sorted().toList();
    assertThat(out).isEqualTo(lab.pending().stream().map(Vm::name).sorted().toList());
    for (PlacementReport report : r.unplaced()) {
      assertThat(report.summary()).isNotBlank();
      int hosts = lab.snapshot().hosts().size();
      assertThat(report.rejectedBy().values().stream().mapToInt(Integer::intValue).sum())
          .as("each host counted once for %s", report.vm()).isEqualTo(hosts);
    }
  }

  @Property(tries = 300, seed = "20261126")
  void deterministicAndTheIndexAgreesWithAFullScan(@ForAll long seed) {
    RandomLab lab = RandomLab.generate(seed);
    PlacementResult first = scheduler(lab.settings()).place(lab.snapshot(), lab.pending());
    PlacementResult again = new Scheduler(lab.settings()).place(lab.snapshot(), lab.pending());
    assertThat(again).as("a fresh scheduler gives the same result").isEqualTo(first);
    PlacementResult scanned = SCANNING.computeIfAbsent(lab.settings(), s -> new Scheduler(s, false))
        .place(lab.snapshot(), lab.pending());
    assertThat(scanned).as("exhaustive scan gives the same placements and reports").isEqualTo(first);
  }

  private static Map<String, Vm> byName(List<Vm> vms) {
    Map<String, Vm> m = new HashMap<>();
    vms.forEach(v -> m.put(v.name(), v));
    return m;
  }

  private static void member(Map<String, Set<String>> groups, String group, String host) {
    if (group != null) {
      groups.computeIfAbsent(group, g -> new HashSet<>()).add(host);
    }
  }
}
