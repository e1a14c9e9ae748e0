package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.corral.controller.ControllerSettings;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.OptimizerSettings.Automation;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.journal.EntryKind;
import org.corral.model.plan.Action;
import org.corral.model.plan.Origin;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.consolidation.MinimumMigrationTime;
import org.corral.policy.consolidation.StaticThreshold;
import org.junit.jupiter.api.Test;

/**
 * The optimizer on the simulated lab, on virtual time: a quiet night switches empty hosts off
 * (keeping one spare on), a busy morning relieves the overloaded host and wakes a host to restore
 * the spare, and at no step does a VM sit on a host that is off or switching.
 */
class OptimizerLoopTest {
  private static final List<String> VMS = List.of("v1", "v2", "v3", "v4");

  private static LabHarness lab(Automation automation) {
    return lab(automation, List.of());
  }

  private static LabHarness lab(Automation automation, List<OptimizerSettings.Group> groups) {
    return lab(automation, groups, new ConsolidationSettings(new StaticThreshold(0.8), new MinimumMigrationTime(), 0.2, 0.8,
        Duration.ofSeconds(30), 8, 1, 3, 125));
  }

  private static LabHarness lab(Automation automation, List<OptimizerSettings.Group> groups, ConsolidationSettings rules) {
    ControllerSettings settings = LabHarness.fastSettings()
        .withOptimizer(new OptimizerSettings(automation, Duration.ofSeconds(5), rules, groups));
    LabHarness lab = new LabHarness(4, SimLatencies.DEFAULT, settings);
    lab.startWithInventory();
    for (String vm : VMS) {
      lab.cmd().createVm(VmRequest.of(vm, 2, 2048), "t"); // packing: all four on node01 (8 vCPUs of 8 cores)
    }
    for (String vm : VMS) {
      lab.untilVm(vm, VmState.RUNNING, Duration.ofMinutes(2));
      lab.dc.setWorkload(vm, WorkloadModel.constant(0.1));
    }
    return lab;
  }

  /** Runs {@code d} in 1 s steps, checking after each that no VM sits on a host that is not on. */
  private static void runChecked(LabHarness lab, Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      lab.run(Duration.ofSeconds(1));
      for (Vm vm : lab.controller.state().vms()) {
        if (vm.host() != null && vm.state().reservesHost()) {
          HostState hs = lab.host(vm.host()).state();
          assertThat(hs).as("%s (%s) on %s at %s", vm.name(), vm.state(), vm.host(), lab.clock.now())
              .isNotIn(HostState.OFF, HostState.POWERING_OFF, HostState.POWERING_ON);
        }
      }
      for (var h : lab.dc.hosts()) {
        if (!h.power().chassisOn()) {
          assertThat(h.domainNames()).as("sim host %s is off", h.name()).isEmpty();
        }
      }
    }
  }

  private static long hostsIn(LabHarness lab, HostState state) {
    return lab.controller.state().hosts().stream().filter(h -> h.state() == state).count();
  }

  @Test
  void aQuietNightSwitchesEmptyHostsOffAndABusyMorningWakesOne() {
    LabHarness lab = lab(Automation.FULL);
    runChecked(lab, Duration.ofMinutes(3));
    assertThat(hostsIn(lab, HostState.OFF)).as("node02 and node03 off, node04 kept on as the spare").isEqualTo(2);
    assertThat(lab.host("node04").state()).isEqualTo(HostState.UP);
    assertThat(lab.controller.state().vms()).allSatisfy(v -> assertThat(v.host()).isEqualTo("node01"));
    assertThat(lab.journal()).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(EntryKind.ACTION_QUEUED);
      assertThat(e.cause().origin()).isEqualTo(Origin.OPTIMIZER);
      assertThat(e.cause().reason()).startsWith("node02 empty for 3 polls; 1 spare host(s) stay on; switching it off saves 100 W");
    });

    // Morning: every VM busy: node01 asks 8 of 8 cores, over 80 %.
    for (String vm : VMS) {
      lab.dc.setWorkload(vm, WorkloadModel.constant(1.0));
    }
    runChecked(lab, Duration.ofMinutes(5));
    long onNode04 = lab.controller.state().vms().stream().filter(v -> "node04".equals(v.host())).count();
    assertThat(onNode04).as("one VM moved from the overloaded node01 to the spare").isEqualTo(1);
    assertThat(lab.controller.state().vms()).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.RUNNING));
    assertThat(lab.host("node02").state()).as("woken to restore the spare\n%s", lab.journalText()).isEqualTo(HostState.UP);
    assertThat(lab.host("node03").state()).as("only one host woken for one spare").isEqualTo(HostState.OFF);
    assertThat(lab.journal()).anySatisfy(e -> assertThat(e.cause() != null ? e.cause().reason() : "")
        .startsWith("node01 overloaded: demand 1.00 > threshold 0.80 (thr-0.8); mmt chose"));
  }

  @Test
  void herdCorralsOwnPolicyRunsInTheOptimizerLoop() {
    // The same Consolidation as the simulator's: no reserve, a host off once seen empty.
    LabHarness lab = lab(Automation.FULL, List.of(), ConsolidationSettings.HERD);
    runChecked(lab, Duration.ofMinutes(3));
    assertThat(hostsIn(lab, HostState.OFF)).as("node02 to node04 off: herd keeps no spare\n%s", lab.journalText()).isEqualTo(3);
    assertThat(lab.controller.state().vms()).allSatisfy(v -> assertThat(v.host()).isEqualTo("node01"));
    for (String vm : VMS) {
      lab.dc.setWorkload(vm, WorkloadModel.constant(1.0));
    }
    runChecked(lab, Duration.ofMinutes(10));
    assertThat(lab.controller.state().vms().stream().map(Vm::host).distinct().count())
        .as("node01 overloaded: a host woken and a VM moved to it\n%s", lab.journalText()).isGreaterThan(1);
    assertThat(lab.controller.state().vms()).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.RUNNING));
  }

  @Test
  void recommendModeShowsThePlanAndMovesNothing() {
    LabHarness lab = lab(Automation.RECOMMEND);
    runChecked(lab, Duration.ofMinutes(3));
    assertThat(hostsIn(lab, HostState.OFF)).isZero();
    List<Action> shown = lab.controller.recommend().plans().get(1).actions();
    assertThat(shown).extracting(Action::key).containsExactly("optimize/power-off/node02/2", "optimize/power-off/node03/2");
  }

  @Test
  void partialAutomationMigratesButLeavesPowerToTheAdministrator() {
    LabHarness lab = lab(Automation.PARTIAL);
    runChecked(lab, Duration.ofMinutes(3));
    assertThat(hostsIn(lab, HostState.OFF)).as("power actions wait for approval").isZero();
    for (String vm : VMS) {
      lab.dc.setWorkload(vm, WorkloadModel.constant(1.0));
    }
    runChecked(lab, Duration.ofMinutes(2));
    assertThat(lab.controller.state().vms().stream().map(Vm::host).distinct().count()).as("a migration relieved node01")
        .isGreaterThan(1);
  }

  @Test
  void aHostGroupRunsAtItsOwnLevel() {
    // Every lab host carries rack=r1.
    LabHarness full = lab(Automation.RECOMMEND, List.of(new OptimizerSettings.Group(java.util.Map.of("rack", "r1"), Automation.FULL)));
    runChecked(full, Duration.ofMinutes(3));
    assertThat(hostsIn(full, HostState.OFF)).as("rack r1 is in full automation").isEqualTo(2);
    LabHarness other = lab(Automation.RECOMMEND, List.of(new OptimizerSettings.Group(java.util.Map.of("rack", "r9"), Automation.FULL)));
    runChecked(other, Duration.ofMinutes(3));
    assertThat(hostsIn(other, HostState.OFF)).as("no host is in rack r9: the default, recommend, applies").isZero();
  }

  @Test
  void planApplyRunsExactlyTheShownPlanAndRefusesAChangedOne() {
    LabHarness lab = lab(Automation.RECOMMEND);
    runChecked(lab, Duration.ofMinutes(3));
    var shown = lab.controller.recommend();
    assertThat(shown.plans().get(1).actions()).hasSize(2);
    // Something changes what Corral would do: node04 goes into maintenance, so node03 is now the spare.
    lab.cmd().maintenance("node04", true, "t");
    assertThatThrownBy(() -> lab.controller.applyPlan(shown.id(), "t")).isInstanceOf(org.corral.model.ConflictException.class)
        .hasMessageContaining("no longer what Corral would do");
    assertThat(lab.controller.executor().active()).as("nothing applied").isEmpty();
    var again = lab.controller.recommend();
    assertThat(lab.controller.applyPlan(again.id(), "admin")).containsExactlyElementsOf(
        again.plans().stream().flatMap(p -> p.actions().stream()).map(Action::key).toList());
    runChecked(lab, Duration.ofMinutes(2));
    assertThat(hostsIn(lab, HostState.OFF)).isEqualTo(again.plans().get(1).actions().size());
  }
}
