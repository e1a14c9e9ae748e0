package org.corral.policy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.model.cluster.Cluster;
import org.corral.model.cluster.ClusterDesire;
import org.corral.model.cluster.ClusterPhase;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.HookOutcome;
import org.corral.model.cluster.HostPool;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.plan.Action;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's decision on hand-made snapshots, and run to convergence against a tiny world
 * that does what the decision asks at once (members boot, hooks succeed, checks pass): order of
 * deployment, hooks and their variables, scale-down drain, replacement, undeploy in reverse.
 */
class ClusterPolicyTest {
  private final ClusterPolicy policy = new ClusterPolicy();
  private final ClusterLab lab = new ClusterLab().hosts(2);
  /** What ran, in order: "create NAME", "hook TARGET: ARGS", "stop NAME", "delete NAME", "start NAME". */
  private final List<String> log = new ArrayList<>();
  private final Set<String> ready = new HashSet<>();
  private final Set<String> unhealthy = new HashSet<>();
  private Cluster cluster;

  private static ClusterSpec torque(int compute) {
    // As examples/torque.yaml, without the file: the controller's test reads the file itself.
    return new ClusterSpec("torque", HostPool.ANY, VmSpec.of(1, 1024), List.of(
        new RoleSpec("head", 1, 1, 1, null, null, null, List.of(), null, List.of(check()), List.of(),
            List.of(hook(org.corral.model.cluster.HookEvent.ON_CREATE, null, "systemctl", "start", "pbs_server"))),
        new RoleSpec("compute", 1, 10, compute, null, null, null, List.of("head"), null, List.of(), List.of(),
            List.of(hook(org.corral.model.cluster.HookEvent.ON_CREATE, null, "torque-mom", "--server={{roles.head.hostnames}}"),
                hook(org.corral.model.cluster.HookEvent.ON_MEMBER_JOIN, "head", "qmgr", "-c", "create node {{member.hostname}}"),
                hook(org.corral.model.cluster.HookEvent.ON_MEMBER_JOIN, "head", "pbsnodes", "-c", "{{member.hostname}}"),
                hook(org.corral.model.cluster.HookEvent.ON_MEMBER_LEAVE, "head", "qmgr", "-c", "delete node {{member.hostname}}"),
                hook(org.corral.model.cluster.HookEvent.ON_STOP, null, "pbs_mom", "stop")))))
        .validate();
  }

  static org.corral.model.cluster.Check check() {
    return new org.corral.model.cluster.Check(org.corral.model.cluster.CheckKind.EXEC, 0, null, List.of("pgrep", "pbs_server"), null, null, 3);
  }

  static org.corral.model.cluster.Hook hook(org.corral.model.cluster.HookEvent e, String runOn, String... command) {
    return new org.corral.model.cluster.Hook(e, runOn, List.of(command), null, 0, null);
  }

  /** Does what one decision asks; returns it. */
  private ClusterPolicy.Decision step() {
    ClusterPolicy.Decision d = policy.decide(cluster, lab.snapshot(), new ClusterPolicy.Observed(ready, unhealthy));
    for (MemberRequest m : d.create()) {
      log.add("create " + m.name());
      lab.running(m.name(), m.spec());
    }
    for (HookRun h : d.hooks()) {
      log.add("hook " + h.target() + ": " + String.join(" ", h.command()));
      cluster = cluster.withHook(new HookOutcome(h.key(), h.target(), h.command(), 0, "ok", 1, true, false, ClusterLab.T0));
    }
    for (CheckRun c : d.checks()) {
      if (!c.health()) {
        ready.add(c.key());
      }
    }
    for (Action a : d.plan().actions()) {
      switch (a) {
        case Action.StopVm s -> {
          log.add("stop " + s.vm());
          lab.vm(lab.vm(s.vm()).withDesired(org.corral.model.vm.DesiredState.STOPPED).withState(VmState.STOPPING, "t", ClusterLab.T0)
              .withState(VmState.STOPPED, "t", ClusterLab.T0));
        }
        case Action.StartVm s -> {
          log.add("start " + s.vm());
          lab.vm(lab.vm(s.vm()).withDesired(org.corral.model.vm.DesiredState.RUNNING).withState(VmState.BOOTING, "t", ClusterLab.T0)
              .withState(VmState.RUNNING, "t", ClusterLab.T0));
        }
        case Action.DeleteVm del -> {
          log.add("delete " + del.vm());
          lab.remove(del.vm());
        }
        default -> throw new AssertionError("unexpected " + a);
      }
    }
    cluster = cluster.withConditions(d.condition(), d.roles());
    return d;
  }

  private ClusterPolicy.Decision converge() {
    for (int i = 0; i < 50; i++) {
      ClusterPolicy.Decision d = step();
      if (d.converged()) {
        return d;
      }
    }
    throw new AssertionError("did not converge: " + log);
  }

  @Test
  void deploysTheHeadFirstThenComputeNodesRegisteredOnTheHeadInOrder() {
    cluster = Cluster.create(torque(2), "alice", ClusterLab.T0);
    ClusterPolicy.Decision first = step();
    assertThat(first.create()).extracting(MemberRequest::name).containsExactly("torque-head-1");
    assertThat(first.condition().phase()).isEqualTo(ClusterPhase.DEPLOYING);
    assertThat(first.roles().get("compute").phase()).isEqualTo(ClusterPhase.PENDING);
    assertThat(first.roles().get("compute").reason()).contains("waiting for head");

    ClusterPolicy.Decision last = converge();
    assertThat(last.condition().phase()).isEqualTo(ClusterPhase.RUNNING);
    assertThat(log).containsExactly(
        "create torque-head-1",
        "hook torque-head-1: systemctl start pbs_server",
        "create torque-compute-1", "create torque-compute-2",
        "hook torque-compute-1: torque-mom --server=torque-head-1", "hook torque-compute-2: torque-mom --server=torque-head-1",
        "hook torque-head-1: qmgr -c create node torque-compute-1", "hook torque-head-1: qmgr -c create node torque-compute-2",
        "hook torque-head-1: pbsnodes -c torque-compute-1", "hook torque-head-1: pbsnodes -c torque-compute-2");
    assertThat(policy.decide(cluster, lab.snapshot(), new ClusterPolicy.Observed(ready, unhealthy)).converged())
        .as("asked again with nothing changed, nothing to do").isTrue();
  }

  @Test
  void membersCarryTheClusterLabelAndSpreadAndStayInThePool() {
    ClusterSpec s = new ClusterSpec("web", new HostPool(List.of("h1", "h2"), Map.of("rack", "a")), VmSpec.of(2, 2048),
        List.of(new RoleSpec("app", 2, 4, 2, null, null, "host.cores >= 2", List.of(), null, List.of(), List.of(), List.of()))).validate();
    cluster = Cluster.create(s, "alice", ClusterLab.T0);
    ClusterPolicy.Decision d = policy.decide(cluster, lab.snapshot(), ClusterPolicy.Observed.NONE);
    assertThat(d.create()).hasSize(2).allSatisfy(m -> {
      assertThat(m.spec().labels()).containsEntry(ClusterSpec.CLUSTER_LABEL, "web").containsEntry(ClusterSpec.ROLE_LABEL, "app");
      assertThat(m.spec().antiAffinityGroup()).isEqualTo("web-app");
      assertThat(m.spec().requirements()).isEqualTo("(host.cores >= 2) && host.name in ['h1', 'h2'] && host.labels['rack'] == 'a'");
      assertThat(m.spec().cpus()).isEqualTo(2);
    });
  }

  @Test
  void scaleDownDrainsTheHighestMembersFirstThenStopsAndDeletesThem() {
    cluster = Cluster.create(torque(3), "alice", ClusterLab.T0);
    converge();
    log.clear();
    cluster = cluster.withCount("compute", 1);
    ClusterPolicy.Decision d = step();
    assertThat(d.plan().actions()).as("onMemberLeave first, nothing stopped yet").isEmpty();
    assertThat(d.condition().phase()).isEqualTo(ClusterPhase.SCALING);
    converge();
    assertThat(log).containsExactly(
        "hook torque-head-1: qmgr -c delete node torque-compute-3", "hook torque-head-1: qmgr -c delete node torque-compute-2",
        "stop torque-compute-3", "stop torque-compute-2",
        "delete torque-compute-3", "delete torque-compute-2");
    assertThat(cluster.condition().phase()).isEqualTo(ClusterPhase.RUNNING);
    assertThat(lab.has("torque-compute-1")).isTrue();
  }

  @Test
  void aLostMemberIsUnregisteredDeletedAndReplacedAndRegisteredAgain() {
    cluster = Cluster.create(torque(2), "alice", ClusterLab.T0);
    converge();
    log.clear();
    lab.vm(lab.vm("torque-compute-2").withState(VmState.FAILED, "crashed", ClusterLab.T0));
    converge();
    assertThat(log).containsExactly(
        "hook torque-head-1: qmgr -c delete node torque-compute-2",
        "delete torque-compute-2",
        "create torque-compute-2",
        "hook torque-compute-2: torque-mom --server=torque-head-1",
        "hook torque-head-1: qmgr -c create node torque-compute-2",
        "hook torque-head-1: pbsnodes -c torque-compute-2");
    assertThat(cluster.condition().phase()).isEqualTo(ClusterPhase.RUNNING);
  }

  @Test
  void aMemberFailingItsHealthChecksIsReplaced() {
    cluster = Cluster.create(torque(1), "alice", ClusterLab.T0);
    converge();
    String before = lab.vm("torque-compute-1").uuid();
    unhealthy.add(before);
    converge();
    assertThat(log).containsSubsequence("hook torque-head-1: qmgr -c delete node torque-compute-1", "stop torque-compute-1",
        "delete torque-compute-1", "create torque-compute-1");
    assertThat(lab.vm("torque-compute-1").uuid()).isNotEqualTo(before);
  }

  @Test
  void aReplacedHeadReRegistersEveryComputeNode() {
    cluster = Cluster.create(torque(2), "alice", ClusterLab.T0);
    converge();
    log.clear();
    lab.vm(lab.vm("torque-head-1").withState(VmState.FAILED, "host lost", ClusterLab.T0));
    ready.remove("head/torque-head-1");
    converge();
    assertThat(log).containsSubsequence("delete torque-head-1", "create torque-head-1", "hook torque-head-1: systemctl start pbs_server",
        "hook torque-head-1: qmgr -c create node torque-compute-1", "hook torque-head-1: pbsnodes -c torque-compute-1");
    assertThat(log).contains("hook torque-head-1: qmgr -c create node torque-compute-2");
  }

  @Test
  void stopRunsOnStopAndStopsRolesInReverseOrderThenStartBringsThemBack() {
    cluster = Cluster.create(torque(2), "alice", ClusterLab.T0);
    converge();
    log.clear();
    cluster = cluster.withDesire(ClusterDesire.STOPPED);
    ClusterPolicy.Decision d = converge();
    assertThat(log).containsExactly("hook torque-compute-1: pbs_mom stop", "hook torque-compute-2: pbs_mom stop",
        "stop torque-compute-1", "stop torque-compute-2", "stop torque-head-1");
    assertThat(d.condition().phase()).isEqualTo(ClusterPhase.DONE);
    assertThat(lab.vm("torque-head-1").state()).isEqualTo(VmState.STOPPED);

    log.clear();
    cluster = cluster.withDesire(ClusterDesire.RUNNING);
    d = converge();
    assertThat(log).startsWith("start torque-head-1");
    assertThat(log).contains("start torque-compute-1", "start torque-compute-2");
    assertThat(d.condition().phase()).isEqualTo(ClusterPhase.RUNNING);
  }

  @Test
  void undeployRunsEveryOnStopHookInReverseOrderThenStopsAllMembersAtOnce() {
    ClusterSpec t = torque(2);
    RoleSpec head = t.role("head");
    List<org.corral.model.cluster.Hook> headHooks = new ArrayList<>(head.hooks());
    headHooks.add(hook(org.corral.model.cluster.HookEvent.ON_STOP, null, "qterm"));
    RoleSpec withStop = new RoleSpec(head.name(), head.min(), head.max(), head.count(), head.template(), head.antiAffinity(),
        head.requirements(), head.dependsOn(), head.hostedBy(), head.readiness(), head.health(), headHooks);
    cluster = Cluster.create(new ClusterSpec("torque", HostPool.ANY, VmSpec.of(1, 1024), List.of(withStop, t.role("compute"))).validate(),
        "alice", ClusterLab.T0);
    converge();
    log.clear();
    cluster = cluster.withDesire(ClusterDesire.STOPPED);
    ClusterPolicy.Decision first = step();
    assertThat(first.plan().actions()).as("no member stops while a hook is left").isEmpty();
    assertThat(first.roles().get("head").phase()).isEqualTo(ClusterPhase.RUNNING);
    ClusterPolicy.Decision second = step();
    assertThat(second.plan().actions()).as("the head's hook runs once the compute nodes' are done, before any stop").isEmpty();
    ClusterPolicy.Decision third = step();
    assertThat(third.plan().actions()).as("then every member stops in the same plan").hasSize(3);
    converge();
    assertThat(log).containsExactly("hook torque-compute-1: pbs_mom stop", "hook torque-compute-2: pbs_mom stop", "hook torque-head-1: qterm",
        "stop torque-compute-1", "stop torque-compute-2", "stop torque-head-1");
    assertThat(cluster.condition().phase()).isEqualTo(ClusterPhase.DONE);
  }

  @Test
  void aNewMembersUserDataIsRenderedWithItsIdentityItsLeaseAndItsPeers() {
    ClusterSpec t = torque(1);
    RoleSpec compute = t.role("compute");
    RoleSpec withData = new RoleSpec(compute.name(), compute.min(), compute.max(), compute.count(),
        VmSpec.of(1, 1024).withUserData("#cloud-config\nhostname: {{member.hostname}}\n# {{member.index}} {{member.address}} {{member.mac}} "
            + "server {{roles.head.addresses}}\n"),
        compute.antiAffinity(), compute.requirements(), compute.dependsOn(), compute.hostedBy(), compute.readiness(), compute.health(), compute.hooks());
    cluster = Cluster.create(new ClusterSpec("torque", HostPool.ANY, VmSpec.of(1, 1024), List.of(t.role("head"), withData)).validate(),
        "alice", ClusterLab.T0);
    MemberRequest m = null;
    for (int i = 0; i < 10 && m == null; i++) {
      m = step().create().stream().filter(r -> r.role().equals("compute")).findFirst().orElse(null);
    }
    assertThat(m).as("a compute node is asked for once the head is ready").isNotNull();
    assertThat(m.spec().userData()).as("the spec keeps the template").contains("{{member.hostname}}");
    assertThat(m.userData(List.of(new org.corral.model.vm.NicLease("default", "10.0.0.9", "52:54:00:01:00:09"))))
        .isEqualTo("#cloud-config\nhostname: torque-compute-1\n# 1 10.0.0.9 52:54:00:01:00:09 server 10.0.0.2\n");
  }

  @Test
  void elasticitysDecisionShowsInTheRolesCondition() {
    cluster = Cluster.create(torque(2), "alice", ClusterLab.T0);
    converge();
    Elasticity.Decision cooling = new Elasticity.Decision(Elasticity.State.COOLDOWN, null, "cooling down until 2026-01-01T00:05:00Z");
    ClusterPolicy.Decision d = policy.decide(cluster, lab.snapshot(), new ClusterPolicy.Observed(ready, unhealthy, Map.of("compute", cooling)));
    assertThat(d.roles().get("compute").phase()).isEqualTo(ClusterPhase.COOLDOWN);
    assertThat(d.roles().get("compute").reason()).isEqualTo("2 of 2 members ready; elasticity: cooling down until 2026-01-01T00:05:00Z");
    assertThat(d.condition().phase()).as("a role cooling down is running").isEqualTo(ClusterPhase.RUNNING);

    cluster = cluster.withConditions(d.condition(), d.roles()).withScaled("compute", 3, ClusterLab.T0);
    Elasticity.Decision grow = new Elasticity.Decision(Elasticity.State.SCALING, 3, "rules[0] \"queue.max > 10\" held for 2 periods: +1, count 2 -> 3");
    d = policy.decide(cluster, lab.snapshot(), new ClusterPolicy.Observed(ready, unhealthy, Map.of("compute", grow)));
    assertThat(d.roles().get("compute").phase()).isEqualTo(ClusterPhase.SCALING);
    assertThat(d.roles().get("compute").reason()).startsWith("elasticity: rules[0] \"queue.max > 10\" held for 2 periods: +1, count 2 -> 3; 2 of 3 members ready");
    assertThat(d.condition().phase()).isEqualTo(ClusterPhase.SCALING);
  }

  @Test
  void aMemberThatStoppedOnItsOwnIsReplacedNotRestarted() {
    cluster = Cluster.create(torque(1), "alice", ClusterLab.T0);
    converge();
    log.clear();
    lab.vm(lab.vm("torque-compute-1").withState(VmState.STOPPED, "crashed", ClusterLab.T0));
    converge();
    assertThat(log).containsExactly("hook torque-head-1: qmgr -c delete node torque-compute-1", "delete torque-compute-1",
        "create torque-compute-1", "hook torque-compute-1: torque-mom --server=torque-head-1",
        "hook torque-head-1: qmgr -c create node torque-compute-1", "hook torque-head-1: pbsnodes -c torque-compute-1");
  }

  @Test
  void busyMembersAreLeftAlone() {
    cluster = Cluster.create(torque(1), "alice", ClusterLab.T0);
    converge();
    lab.vm(lab.vm("torque-compute-1").withState(VmState.STOPPED, "starting", ClusterLab.T0));
    ClusterPolicy.Decision d = policy.decide(cluster, lab.snapshot(), new ClusterPolicy.Observed(ready, unhealthy), "torque-compute-1"::equals);
    assertThat(d.hooks()).isEmpty();
    assertThat(d.plan().actions()).isEmpty();
  }

  @Test
  void deleteRemovesOnlyTheClustersOwnVms() {
    lab.running("someone-elses", VmSpec.of(1, 512));
    cluster = Cluster.create(torque(1), "alice", ClusterLab.T0);
    converge();
    cluster = cluster.withDesire(ClusterDesire.DELETED);
    ClusterPolicy.Decision d = converge();
    assertThat(d.condition().phase()).isEqualTo(ClusterPhase.DONE);
    assertThat(lab.has("torque-head-1")).isFalse();
    assertThat(lab.has("torque-compute-1")).isFalse();
    assertThat(lab.has("someone-elses")).isTrue();
  }

  @Test
  void anotherUsersVmWearingTheLabelIsLeftAlone() {
    VmSpec labelled = new VmSpec(1, 512, List.of(), List.of(), null, null, null, null, null, null, null,
        Map.of(ClusterSpec.CLUSTER_LABEL, "torque", ClusterSpec.ROLE_LABEL, "compute"));
    lab.vm(new org.corral.model.vm.Vm("torque-compute-9", "uuid-x", labelled, "mallory", VmState.RUNNING,
        org.corral.model.vm.DesiredState.RUNNING, "h2", null, List.of(), "running", ClusterLab.T0, ClusterLab.T0, 1));
    cluster = Cluster.create(torque(1), "alice", ClusterLab.T0);
    converge();
    assertThat(log).noneMatch(l -> l.contains("torque-compute-9"));
    assertThat(lab.has("torque-compute-9")).isTrue();
  }

  @Test
  void aHookThatGaveUpFailsTheDeployWithItsReason() {
    cluster = Cluster.create(torque(1), "alice", ClusterLab.T0);
    step();
    ClusterPolicy.Decision d = policy.decide(cluster, lab.snapshot(), ClusterPolicy.Observed.NONE);
    HookRun h = d.hooks().get(0);
    cluster = cluster.withHook(new HookOutcome(h.key(), h.target(), h.command(), 1, "pbs_server: not found", 3, false, true, ClusterLab.T0));
    d = policy.decide(cluster, lab.snapshot(), new ClusterPolicy.Observed(Set.of("head/torque-head-1"), Set.of()));
    assertThat(d.roles().get("head").phase()).isEqualTo(ClusterPhase.FAILED_DEPLOY);
    assertThat(d.condition().phase()).isEqualTo(ClusterPhase.FAILED_DEPLOY);
    assertThat(d.condition().reason()).contains("onCreate").contains("exit 1");
  }

  @Test
  void oneVmHoldsSeveralRolesAndHookVariablesSeeEveryRolesAddresses() {
    ClusterSpec s = new ClusterSpec("as", HostPool.ANY, VmSpec.of(1, 1024), List.of(
        new RoleSpec("master", 1, 1, 1, null, null, null, List.of(), null, List.of(), List.of(), List.of()),
        new RoleSpec("zookeeper", 1, 1, 1, null, null, null, List.of(), "master", List.of(), List.of(),
            List.of(hook(org.corral.model.cluster.HookEvent.ON_CREATE, null, "zk", "{{member.role}}", "{{member.index}}"))),
        new RoleSpec("open", 1, 4, 2, null, null, null, List.of("zookeeper"), null, List.of(), List.of(),
            List.of(hook(org.corral.model.cluster.HookEvent.ON_READY, null, "register", "{{roles.zookeeper.addresses}}", "{{role.addresses}}")))))
        .validate();
    cluster = Cluster.create(s, "alice", ClusterLab.T0);
    converge();
    assertThat(log).containsExactly("create as-master-1", "hook as-master-1: zk master 1", "create as-open-1", "create as-open-2",
        "hook as-open-1: register 10.0.0.2 10.0.0.3 10.0.0.4", "hook as-open-2: register 10.0.0.2 10.0.0.3 10.0.0.4");
  }
}
