package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.corral.controller.ControllerSettings;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.OptimizerSettings.Automation;
import org.corral.controller.config.ClusterSpecReader;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.sim.SimGuestExec;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.cluster.ClusterPhase;
import org.corral.model.host.HostState;
import org.corral.model.image.Image;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.Origin;
import org.corral.model.vm.Vm;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.consolidation.MinimumMigrationTime;
import org.corral.policy.consolidation.StaticThreshold;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's end-to-end chain on the simulated lab (virtual time): a TORQUE cluster's job queue
 * empties, elasticity shrinks the compute role one node at a time, each drained on the head
 * before its VM goes, and the optimizer (OptimizerLoop, full automation, no spare host) then
 * switches the emptied hosts off. Two loops, each a pure policy behind the planner; nothing
 * links them but the hosts the cluster leaves empty.
 */
class ClusterOptimizerEndToEndTest {
  private final AtomicInteger queued = new AtomicInteger(5); // neither rule holds at first
  private SimGuestExec guests;

  @Test
  void aFallingQueueShrinksComputeWithDrainThenTheOptimizerSwitchesTheEmptiedHostsOff() throws IOException {
    ConsolidationSettings rules = new ConsolidationSettings(new StaticThreshold(0.8), new MinimumMigrationTime(), 0.2, 0.8,
        Duration.ofSeconds(30), 8, 0, 3, 125); // no spare host: a host seen empty 3 polls running is switched off
    ControllerSettings settings = LabHarness.fastSettings().withOptimizer(new OptimizerSettings(Automation.FULL, Duration.ofSeconds(5), rules,
        List.of()));
    LabHarness lab = new LabHarness(4, SimLatencies.DEFAULT, settings);
    lab.moreDrivers = d -> {
      guests = new SimGuestExec(lab.dc);
      d.guest(guests);
    };
    lab.startWithInventory();
    lab.cmd().createImage(new Image("debian-12", "default", "debian-12.qcow2", "qcow2", 10, true), "test");
    guests.onExec("torque-head-1", argv -> new ExecResult(0, argv.equals(List.of("/usr/local/bin/torque-queued")) ? queued.get() + "\n" : "", ""));
    // examples/torque.yaml with a quicker shrink rule (2 periods, 1 min cool-down) to keep the run short.
    String yaml = Files.readString(Path.of("../examples/torque.yaml")).replace("          for: 10\n", "          for: 2\n")
        .replace("          cooldown: 5m\n", "          cooldown: 1m\n");
    ClusterReconciler clusters = lab.controller.clusters();
    clusters.apply(ClusterSpecReader.parse(yaml, "torque.yaml"), "alice", "alice");
    lab.until("torque RUNNING with 3 compute nodes", () -> clusters.require("torque").condition().phase() == ClusterPhase.RUNNING
        && clusters.members("torque").size() == 4, Duration.ofMinutes(10));
    Set<String> computeHosts = new HashSet<>();
    for (int i = 1; i <= 3; i++) {
      computeHosts.add(lab.vm("torque-compute-" + i).host());
    }
    assertThat(computeHosts).as("compute nodes spread, one per host").hasSize(3);

    // The queue empties: compute shrinks 3 -> 2 -> 1, each leaving node drained on the head first.
    queued.set(0);
    Instant emptied = lab.clock.now();
    lab.until("compute shrunk to 1", () -> clusters.require("torque").count("compute") == 1
        && lab.controller.state().vm("torque-compute-2").isEmpty() && lab.controller.state().vm("torque-compute-3").isEmpty(), Duration.ofMinutes(10));
    List<String> history = clusters.require("torque").history();
    assertThat(history).anyMatch(l -> l.contains("compute scaled from 3 to 2: rules[1]"));
    assertThat(history).anyMatch(l -> l.contains("compute scaled from 2 to 1: rules[1]"));
    assertThat(history).anyMatch(l -> l.contains("onMemberLeave on torque-head-1: qmgr -c delete node torque-compute-3 -> ok"));
    assertThat(history).anyMatch(l -> l.contains("onMemberLeave on torque-head-1: qmgr -c delete node torque-compute-2 -> ok"));

    // The optimizer switches off every host left without a VM, the hosts the drained nodes left among them.
    lab.until("every empty host OFF", () -> lab.controller.state().hosts().stream()
        .allMatch(h -> !vmsOn(lab, h.name()).isEmpty() || h.state() == HostState.OFF), Duration.ofMinutes(5));
    lab.until("torque RUNNING", () -> clusters.require("torque").condition().phase() == ClusterPhase.RUNNING, Duration.ofMinutes(2));
    long on = lab.controller.state().hosts().stream().filter(h -> h.state() != HostState.OFF).count();
    assertThat(on).as("the head and the last compute node need at most two hosts").isLessThanOrEqualTo(2);
    Set<String> switchedOff = new HashSet<>();
    for (JournalEntry e : lab.journal()) {
      String key = e.actionKey();
      if (key != null && key.startsWith("optimize/power-off/") && e.cause() != null && e.cause().origin() == Origin.OPTIMIZER
          && e.cause().reason().contains("empty for 3 polls") && !e.at().isBefore(emptied)) {
        switchedOff.add(key.split("/")[2]);
      }
    }
    Set<String> left = new HashSet<>(computeHosts);
    left.remove(lab.vm("torque-compute-1").host());
    left.removeIf(h -> !vmsOn(lab, h).isEmpty()); // a host the optimizer has since filled is not empty
    assertThat(left).as("hosts the drained nodes left empty").isNotEmpty();
    assertThat(switchedOff).as("hosts the optimizer switched off after the queue emptied").containsAll(left);
    assertThat(lab.vm("torque-compute-1").state()).isEqualTo(org.corral.model.vm.VmState.RUNNING);
    assertThat(lab.vm("torque-head-1").state()).isEqualTo(org.corral.model.vm.VmState.RUNNING);
  }

  private static List<Vm> vmsOn(LabHarness lab, String host) {
    return lab.controller.state().vms().stream().filter(v -> host.equals(v.host())).toList();
  }
}
