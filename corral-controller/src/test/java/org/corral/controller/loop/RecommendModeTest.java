package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.corral.controller.Controller;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.journal.EntryKind;
import org.corral.model.plan.Action;
import org.corral.model.plan.Origin;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/**
 * Recommend mode (`corral plan`) runs the loops' real decisions against a recording planner:
 * it applies nothing, and what it shows is exactly what the loop then does.
 */
class RecommendModeTest {
  @Test
  void thePlanShownIsThePlanRunAndNothingIsAppliedMeanwhile() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    long journalBefore = lab.store.lastSeq();
    // Created between two scheduling cycles: PENDING, no action yet.
    lab.controller.scheduling().stop();
    for (String vm : List.of("r1", "r2", "r3")) {
      lab.cmd().createVm(VmRequest.of(vm, 2, 4096), "t");
    }
    lab.cmd().createVm(VmRequest.of("huge", 1, 1L << 20), "t"); // 1 TiB: fits nowhere

    Controller.Recommendation rec = lab.controller.recommend();
    assertThat(rec.plans()).extracting(p -> p.origin()).as("every deciding loop, in order")
        .containsExactly(Origin.SCHEDULER, Origin.OPTIMIZER, Origin.GUARDIAN, Origin.GUARDIAN, Origin.CLUSTER); // hosts and VMs, then services
    List<Action> shown = rec.plans().getFirst().actions();
    assertThat(shown).extracting(Action::subject).containsExactly("r1", "r2", "r3");
    assertThat(shown).allSatisfy(a -> assertThat(a.cause().reason()).startsWith("PACKING chose node0"));
    assertThat(rec.plans().getFirst().notes()).singleElement().satisfies(n -> assertThat(n).startsWith("huge: no host fits"));
    assertThat(lab.controller.executor().active()).as("nothing applied").isEmpty();
    assertThat(lab.controller.state().vms()).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.PENDING));
    assertThat(lab.store.journal(journalBefore, 100, null)).noneMatch(e -> e.kind() == EntryKind.ACTION_QUEUED);

    lab.controller.scheduling().start();
    lab.run(Duration.ofSeconds(1));
    List<Action> run = lab.controller.executor().active().stream().map(r -> r.action()).toList();
    assertThat(run).extracting(Action::key).as("the same keys").containsExactlyInAnyOrderElementsOf(shown.stream().map(Action::key).toList());
    for (Action a : shown) {
      Action.DeployVm d = (Action.DeployVm) a;
      assertThat(lab.vm(d.vm()).host()).as("%s goes where the plan said", d.vm()).isEqualTo(d.host());
    }
    assertThat(lab.controller.recommend().plans().getFirst().actions()).as("queued VMs are busy: nothing more to plan").isEmpty();
    assertThat(rec.plans().get(1).notes()).as("the optimizer says why it does not wake a host for huge")
        .contains("1 VM(s) need room and no OFF host could give it");
  }
}
