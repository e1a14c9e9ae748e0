package org.corral.policy.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.corral.model.cluster.Cluster;
import org.corral.model.cluster.ClusterDesire;
import org.corral.model.cluster.ClusterPhase;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.Condition;
import org.corral.model.cluster.Hook;
import org.corral.model.cluster.HookEvent;
import org.corral.model.cluster.HookOutcome;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.cluster.Templates;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;

/**
 * The cluster reconciler's decision, a pure function of a {@link Cluster}, a {@link Snapshot} (its
 * members are the VMs labelled with its name) and what was {@link Observed} of the members
 * (readiness and health checks). Level-triggered: asked again with nothing changed, it asks for
 * the same things, and the hook runs it asks for carry keys so that none runs twice.
 *
 * <p>Wanted RUNNING: roles deploy in dependency order, a role once every role it depends on is
 * ready (independent roles in parallel): missing members are created (indices 1..count, named
 * {@code cluster-role-index}), each new member runs its role's onCreate hooks, then passes its
 * readiness checks, then the runOn roles' members run onMemberJoin for it; once the role has
 * enough ready members (its min, at least one) each member runs onReady. Members beyond the count
 * (highest index first) and lost ones (FAILED, or failing health checks) are drained: onMemberLeave
 * on the runOn roles' members, then stopped and deleted; a lost member is then created afresh.
 * Wanted STOPPED or DELETED: roles in reverse dependency order run onStop on their members, then
 * their VMs are stopped (and deleted).
 */
public final class ClusterPolicy {
  /**
   * Results of checks, from the reconciler: readiness passed ({@code role/vm}), health failed too
   * often (the VM's uuid, so that its replacement, of the same name, starts afresh), and each
   * elastic role's last elasticity decision (by role name), which a role's condition reports
   * (SCALING with the rule's reason, COOLDOWN until the cool-down ends).
   */
  public record Observed(Set<String> ready, Set<String> unhealthy, Map<String, Elasticity.Decision> elasticity) {
    public static final Observed NONE = new Observed(Set.of(), Set.of());

    public Observed {
      ready = Set.copyOf(ready);
      unhealthy = Set.copyOf(unhealthy);
      elasticity = Map.copyOf(elasticity);
    }

    public Observed(Set<String> ready, Set<String> unhealthy) {
      this(ready, unhealthy, Map.of());
    }
  }

  /** Members to create, the plan (start, stop, delete members), hooks and checks to run, and the conditions. */
  public record Decision(List<MemberRequest> create, Plan plan, List<HookRun> hooks, List<CheckRun> checks, Condition condition,
      Map<String, Condition> roles) {
    public Decision {
      create = List.copyOf(create);
      hooks = List.copyOf(hooks);
      checks = List.copyOf(checks);
      roles = Map.copyOf(roles);
    }

    /** Nothing to create, act on, run or wait for (health checks go on for ever and do not count). */
    public boolean converged() {
      return create.isEmpty() && plan.isEmpty() && hooks.isEmpty() && checks.stream().allMatch(CheckRun::health);
    }
  }

  public static String memberName(String cluster, String role, int index) {
    return cluster + "-" + role + "-" + index;
  }

  /** The VMs of {@code cluster} in {@code snapshot} (those carrying its label), by name. */
  public static List<Vm> members(Snapshot snapshot, String cluster) {
    List<Vm> out = new ArrayList<>();
    for (Vm vm : snapshot.vms().values()) {
      if (cluster.equals(vm.spec().labels().get(ClusterSpec.CLUSTER_LABEL)) && vm.state() != VmState.DELETED) {
        out.add(vm);
      }
    }
    return out;
  }

  public Decision decide(Cluster c, Snapshot s, Observed o) {
    return decide(c, s, o, vm -> false);
  }

  /**
   * The decision, leaving alone the members {@code busy} names (an action of theirs is queued or
   * running: the planner's {@code isBusy}).
   */
  public Decision decide(Cluster c, Snapshot s, Observed o, java.util.function.Predicate<String> busy) {
    return new Run(c, s, o, busy).decide();
  }

  /**
   * The metric probes of {@code role} (its {@code metrics:}), each on the lowest-indexed running
   * member (not draining) of its {@code runOn} role, else of the role itself; a probe with no such
   * member is left out (no sample this period).
   */
  public List<ProbeRun> probes(Cluster c, Snapshot s, RoleSpec role) {
    return new Run(c, s, Observed.NONE, vm -> false).probes(role);
  }

  private static final class Run {
    private final Cluster c;
    private final ClusterSpec spec;
    private final Snapshot s;
    private final Observed o;
    private final long cycle;
    /** Members of each role with VMs of its own, by index. */
    private final Map<String, TreeMap<Integer, Vm>> byRole = new HashMap<>();
    private final List<MemberRequest> create = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private final List<HookRun> hooks = new ArrayList<>();
    private final List<CheckRun> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Condition> roleConditions = new LinkedHashMap<>();
    private final Map<String, Boolean> readyMemo = new HashMap<>();
    private final java.util.function.Predicate<String> busy;

    Run(Cluster c, Snapshot s, Observed o, java.util.function.Predicate<String> busy) {
      this.busy = busy;
      this.c = c;
      this.spec = c.spec();
      this.s = s;
      this.o = o;
      this.cycle = s.cycle();
      for (RoleSpec r : spec.roles()) {
        if (r.hostedBy() == null) {
          byRole.put(r.name(), new TreeMap<>());
        }
      }
      for (Vm vm : members(s, c.name())) {
        if (!vm.owner().equals(c.owner())) {
          // Another user's VM wearing this cluster's label: never touched (the cluster acts for its owner only).
          notes.add(vm.name() + ": carries cluster " + c.name() + "'s label but is " + vm.owner() + "'s, not " + c.owner() + "'s: left alone");
          continue;
        }
        String role = vm.spec().labels().get(ClusterSpec.ROLE_LABEL);
        TreeMap<Integer, Vm> m = role == null ? null : byRole.get(role);
        int index = indexOf(vm.name());
        if (m != null && index > 0) {
          m.put(index, vm);
        } else if (c.desire() != ClusterDesire.STOPPED) {
          // A member of a role no longer in the spec (or not named as members are): it goes.
          retire(vm, "its role " + role + " is no longer in the spec");
        }
      }
    }

    Decision decide() {
      if (c.desire() == ClusterDesire.RUNNING) {
        deploy();
      } else {
        undeploy();
      }
      Condition cond = clusterCondition();
      return new Decision(create, new Plan(Origin.CLUSTER, cycle, actions, notes), hooks, checks, cond, roleConditions);
    }

    // ---- deploy ------------------------------------------------------------------------------

    private void deploy() {
      for (List<String> wave : spec.waves()) {
        for (String roleName : wave) {
          RoleSpec r = role(roleName);
          List<String> waiting = r.dependsOn().stream().filter(d -> !roleReady(role(d))).toList();
          if (!waiting.isEmpty()) {
            roleConditions.put(r.name(), cond(r, ClusterPhase.PENDING, "waiting for " + String.join(", ", waiting) + " to be ready"));
            continue;
          }
          if (r.hostedBy() == null) {
            keepMembers(r);
          }
          memberHooks(r);
          roleConditions.put(r.name(), deployCondition(r));
        }
      }
    }

    /** Creates the missing members, restarts stopped ones, drains surplus and lost ones. */
    private void keepMembers(RoleSpec r) {
      int count = c.count(r.name());
      TreeMap<Integer, Vm> m = membersOf(r);
      for (int i = 1; i <= count; i++) {
        Vm vm = m.get(i);
        if (vm == null) {
          String name = memberName(c.name(), r.name(), i);
          Map<String, String> v = memberVariables(name, r.name(), i, "", "");
          v.put("target.name", name);
          create.add(new MemberRequest(name, r.name(), i, memberSpec(r), v));
        } else if (busy.test(vm.name())) {
          continue; // an action of its own is under way: judged once it ends
        } else if (lost(vm)) {
          drain(r, vm, "lost (" + vm.state() + (o.unhealthy().contains(vm.uuid()) ? ", failing health checks" : "") + ")");
        } else if (vm.state() == VmState.STOPPED && vm.host() != null) { // stopped by the cluster: started again
          actions.add(new Action.StartVm("cluster/" + c.name() + "/start/" + vm.name() + "/" + vm.version(), vm.name(), vm.host(),
              cause("start member " + vm.name())));
        }
      }
      for (Vm vm : m.tailMap(count, false).descendingMap().values()) {
        drain(r, vm, "beyond the count of " + count);
      }
    }

    /** Failed, failing its health checks, or stopped on its own (not by the cluster, which says STOPPED first): re-provisioned. */
    private boolean lost(Vm vm) {
      return vm.state() == VmState.FAILED || o.unhealthy().contains(vm.uuid())
          || vm.state() == VmState.STOPPED && vm.desired() == org.corral.model.vm.DesiredState.RUNNING && !busy.test(vm.name());
    }

    private boolean draining(Vm vm) {
      RoleSpec r = role(roleOf(vm));
      return lost(vm) || indexOf(vm.name()) > c.count(r.name());
    }

    /** onMemberLeave on the runOn roles' members (for every role the VM holds), then stop, then delete. */
    private void drain(RoleSpec vmRole, Vm vm, String why) {
      boolean hooksDone = true;
      for (RoleSpec x : rolesOn(vmRole)) {
        hooksDone &= peerHooks(x, HookEvent.ON_MEMBER_LEAVE, vm);
      }
      if (hooksDone) {
        retire(vm, why);
      }
    }

    /** Stops a running VM, deletes one that is stopped or never ran; waits while one is in transition. */
    private void retire(Vm vm, String why) {
      if (busy.test(vm.name())) {
        notes.add(vm.name() + ": waiting for its action in flight before removing it (" + why + ")");
        return;
      }
      switch (vm.state()) {
        case RUNNING, SUSPENDED -> actions.add(new Action.StopVm("cluster/" + c.name() + "/stop/" + vm.name() + "/" + vm.version(), vm.name(),
            java.util.Objects.requireNonNull(vm.host(), "a running VM has a host"), false, cause("stop member " + vm.name() + ": " + why)));
        case PENDING, HOLD, STOPPED, FAILED -> actions.add(new Action.DeleteVm("cluster/" + c.name() + "/delete/" + vm.name() + "/" + vm.version(),
            vm.name(), vm.host(), cause("delete member " + vm.name() + ": " + why)));
        default -> notes.add(vm.name() + ": waiting for " + vm.state() + " to end before removing it (" + why + ")");
      }
    }

    /** A member's VM spec: the role's template, labelled with the cluster and role, spread and restricted to the pool. */
    private VmSpec memberSpec(RoleSpec r) {
      VmSpec t = spec.templateOf(r);
      Map<String, String> labels = new TreeMap<>(t.labels());
      labels.put(ClusterSpec.CLUSTER_LABEL, c.name());
      labels.put(ClusterSpec.ROLE_LABEL, r.name());
      List<String> reqs = new ArrayList<>();
      if (t.requirements() != null) {
        reqs.add("(" + t.requirements() + ")");
      }
      if (r.requirements() != null) {
        reqs.add("(" + r.requirements() + ")");
      }
      if (!spec.pool().hosts().isEmpty()) {
        reqs.add("host.name in [" + String.join(", ", spec.pool().hosts().stream().map(h -> "'" + h + "'").toList()) + "]");
      }
      spec.pool().selector().forEach((k, v) -> reqs.add("host.labels['" + k + "'] == '" + v + "'"));
      String anti = r.spreads() ? c.name() + "-" + r.name() : t.antiAffinityGroup();
      return new VmSpec(t.cpus(), t.memoryMib(), t.disks(), t.nics(), reqs.isEmpty() ? null : String.join(" && ", reqs), t.policy(), t.rank(),
          t.affinityGroup(), anti, t.ha(), t.userData(), labels);
    }

    /** onCreate, readiness, onMemberJoin, onReady for the members of role {@code x} (or of the role holding it). */
    private void memberHooks(RoleSpec x) {
      RoleSpec vmRole = spec.vmRole(x);
      boolean roleReady = roleReady(x);
      for (Vm vm : membersOf(vmRole).values()) {
        if (vm.state() != VmState.RUNNING || draining(vm)) {
          continue;
        }
        if (!chain(x, HookEvent.ON_CREATE, vm, vm)) {
          continue;
        }
        if (!x.readiness().isEmpty() && !o.ready().contains(x.name() + "/" + vm.name())) {
          for (var ch : x.readiness()) {
            checks.add(new CheckRun(x.name() + "/" + vm.name(), x.name(), vm.name(), address(vm), ch,
                Templates.render(ch.command(), variables(vm, vm)), false, guest(vm), List.of()));
          }
          continue;
        }
        for (var ch : x.health()) {
          checks.add(new CheckRun(x.name() + "/" + vm.name(), x.name(), vm.name(), address(vm), ch,
              Templates.render(ch.command(), variables(vm, vm)), true, guest(vm), Templates.render(ch.restart(), variables(vm, vm))));
        }
        peerHooks(x, HookEvent.ON_MEMBER_JOIN, vm);
        if (roleReady) {
          chain(x, HookEvent.ON_READY, vm, vm);
        }
      }
    }

    /** Runs {@code x}'s hooks of {@code event} (onMemberJoin/Leave) about {@code member} on each ready member of their runOn roles; true when all are done. */
    private boolean peerHooks(RoleSpec x, HookEvent event, Vm member) {
      boolean done = true;
      Map<String, Vm> targets = new TreeMap<>();
      for (Hook h : x.hooks(event)) {
        RoleSpec on = role(java.util.Objects.requireNonNull(h.runOn(), "validated: peer hooks name runOn"));
        for (Vm t : membersOf(on).values()) {
          if (!t.name().equals(member.name()) && memberReady(on, t)) {
            targets.put(t.name(), t);
          }
        }
      }
      for (Vm t : targets.values()) {
        done &= chain(x, event, member, t);
      }
      return done;
    }

    /**
     * Asks for the first hook of {@code x}'s {@code event} chain (the hooks run on {@code target}, in
     * declared order) not yet done for this member and target; true when all are done.
     */
    private boolean chain(RoleSpec x, HookEvent event, Vm member, Vm target) {
      String targetRole = roleOf(target);
      for (int i = 0; i < x.hooks().size(); i++) {
        Hook h = x.hooks().get(i);
        if (h.event() != event) {
          continue;
        }
        if (h.runOn() != null && !spec.vmRole(role(h.runOn())).name().equals(targetRole)) {
          continue;
        }
        String key = hookKey(event, x, i, member, target);
        HookOutcome out = c.hooks().get(key);
        if (out != null && out.done()) {
          continue;
        }
        hooks.add(new HookRun(key, event, x.name(), i, member.name(), target.name(), Templates.render(h.command(), variables(member, target)),
            h.timeout(), h.retries(), h.backoff(), guest(target)));
        return false;
      }
      return true;
    }

    private String hookKey(HookEvent event, RoleSpec x, int i, Vm member, Vm target) {
      String incarnation = event == HookEvent.ON_STOP ? "@" + target.stateSince().toEpochMilli() : "";
      return "hook/" + c.name() + "/" + event.yaml() + "/" + x.name() + "/" + i + "/" + member.uuid() + "/" + target.uuid() + incarnation;
    }

    private boolean memberReady(RoleSpec x, Vm vm) {
      return readyMemo.computeIfAbsent(x.name() + "/" + vm.name(), k -> vm.state() == VmState.RUNNING && !draining(vm)
          && hooksSucceeded(x, HookEvent.ON_CREATE, vm) && (x.readiness().isEmpty() || o.ready().contains(k)));
    }

    /** Whether every hook of {@code event} succeeded on {@code vm} (one that gave up leaves the member not ready). */
    private boolean hooksSucceeded(RoleSpec x, HookEvent event, Vm vm) {
      for (int i = 0; i < x.hooks().size(); i++) {
        if (x.hooks().get(i).event() == event) {
          HookOutcome out = c.hooks().get(hookKey(event, x, i, vm, vm));
          if (out == null || !out.succeeded()) {
            return false;
          }
        }
      }
      return true;
    }

    private int readyCount(RoleSpec x) {
      int n = 0;
      for (Vm vm : membersOf(x).values()) {
        n += memberReady(x, vm) ? 1 : 0;
      }
      return n;
    }

    /** Enough ready members for dependents to start: the role's min, at least one, at most its count. */
    private boolean roleReady(RoleSpec x) {
      RoleSpec vmRole = spec.vmRole(x);
      int count = c.count(vmRole.name());
      int need = Math.min(count, Math.max(1, vmRole.min()));
      return readyCount(x) >= need;
    }

    private Condition deployCondition(RoleSpec x) {
      RoleSpec vmRole = spec.vmRole(x);
      int count = c.count(vmRole.name());
      int ready = readyCount(x);
      List<String> failed = failedHooks(x);
      Condition prev = c.roles().get(x.name());
      boolean wasUp = prev != null && (prev.phase() == ClusterPhase.RUNNING || prev.phase() == ClusterPhase.SCALING
          || prev.phase() == ClusterPhase.DEGRADED || prev.phase() == ClusterPhase.COOLDOWN);
      if (!failed.isEmpty()) {
        return cond(x, wasUp || roleReady(x) ? ClusterPhase.DEGRADED : ClusterPhase.FAILED_DEPLOY, "hook failed: " + failed.get(0));
      }
      boolean draining = membersOf(vmRole).values().stream().anyMatch(this::draining);
      String counts = ready + " of " + count + " members ready";
      Elasticity.Decision elastic = o.elasticity().get(vmRole.name());
      if (wasUp && elastic != null && elastic.state() == Elasticity.State.SCALING) {
        counts = "elasticity: " + elastic.reason() + "; " + counts;
      }
      if (ready == count && !draining && hooksPending(x)) {
        return cond(x, wasUp ? ClusterPhase.SCALING : ClusterPhase.DEPLOYING, counts + ", hooks running");
      }
      if (ready == count && !draining) {
        return elastic != null && elastic.state() == Elasticity.State.COOLDOWN
            ? cond(x, ClusterPhase.COOLDOWN, counts + "; elasticity: " + elastic.reason())
            : cond(x, ClusterPhase.RUNNING, counts);
      }
      if (wasUp && ready < vmRole.min()) {
        return cond(x, ClusterPhase.DEGRADED, counts + ", below min " + vmRole.min());
      }
      List<String> unplaced = membersOf(vmRole).values().stream()
          .filter(v -> v.state() == VmState.PENDING && s.cycle() > 0 && !v.stateReason().equals("waiting for a host"))
          .map(v -> v.name() + ": " + v.stateReason()).toList();
      if (!unplaced.isEmpty()) {
        return cond(x, ClusterPhase.DEGRADED, counts + "; " + unplaced.get(0));
      }
      return cond(x, wasUp ? ClusterPhase.SCALING : ClusterPhase.DEPLOYING, counts + (draining ? ", draining" : ""));
    }

    private boolean hooksPending(RoleSpec x) {
      return hooks.stream().anyMatch(h -> h.role().equals(x.name()));
    }

    private List<String> failedHooks(RoleSpec x) {
      List<String> out = new ArrayList<>();
      for (Vm vm : membersOf(x).values()) {
        String prefix = "hook/" + c.name() + "/";
        for (HookOutcome h : c.hooks().values()) {
          if (h.gaveUp() && h.key().startsWith(prefix) && h.key().contains("/" + x.name() + "/") && h.key().contains("/" + vm.uuid() + "/")) {
            out.add(h.key().substring(prefix.length()) + " on " + h.target() + " (exit " + h.exitCode() + ")");
          }
        }
      }
      return out;
    }

    // ---- undeploy ----------------------------------------------------------------------------

    /**
     * Two phases. First every role's onStop hooks, roles in reverse dependency order (a role's once
     * the roles depending on it have run theirs); then, once every hook is done, every member is
     * stopped (and deleted) at once. The services go down in order and the guests' shutdowns
     * overlap, as the Zaragoza study stopped its deployments; members that are not running (never
     * placed, already stopped) have no hook to run and are removed at once.
     */
    private void undeploy() {
      List<List<String>> waves = spec.waves();
      Map<String, Boolean> hooksFailed = new HashMap<>();
      boolean laterDone = true;
      for (int w = waves.size() - 1; w >= 0; w--) {
        boolean waveDone = true;
        for (String roleName : waves.get(w)) {
          RoleSpec x = role(roleName);
          if (!laterDone) {
            roleConditions.put(x.name(), cond(x, ClusterPhase.RUNNING, "waiting for the roles that depend on it to run their onStop hooks"));
            waveDone = false;
            continue;
          }
          boolean hooksDone = true;
          boolean failed = false;
          for (Vm vm : membersOf(x).values()) {
            if (vm.state() == VmState.RUNNING) {
              hooksDone &= chain(x, HookEvent.ON_STOP, vm, vm);
              failed |= hooksFailed(x, HookEvent.ON_STOP, vm);
            }
          }
          hooksFailed.put(x.name(), failed);
          if (!hooksDone) {
            roleConditions.put(x.name(), cond(x, failed ? ClusterPhase.FAILED_UNDEPLOY : ClusterPhase.UNDEPLOYING,
                failed ? "an onStop hook failed; stopping anyway" : "running onStop hooks"));
          }
          waveDone &= hooksDone;
        }
        laterDone &= waveDone;
      }
      for (int w = waves.size() - 1; w >= 0; w--) {
        for (String roleName : waves.get(w)) {
          shutDown(role(roleName), laterDone, hooksFailed.getOrDefault(roleName, false));
        }
      }
    }

    /**
     * Stops (and for delete, deletes) the members of a role whose onStop hooks are done: the running
     * ones once {@code allHooksDone} (every role's), the others at once. A role held by another
     * role's VMs is done with its hooks. A role still running or waiting for its hooks keeps the
     * condition the first phase gave it.
     */
    private void shutDown(RoleSpec x, boolean allHooksDone, boolean failed) {
      boolean ownHooksDone = !roleConditions.containsKey(x.name());
      boolean own = x.hostedBy() == null;
      boolean done = true;
      String why = c.desire() == ClusterDesire.DELETED ? "cluster deleted" : "cluster stopped";
      for (Vm vm : own ? membersOf(x).values() : List.<Vm>of()) {
        if (vm.state() == VmState.RUNNING) {
          done = false;
          if (allHooksDone) {
            retire(vm, why);
          } else if (ownHooksDone) {
            notes.add(vm.name() + ": onStop hooks done; stopped once every role's are");
          }
        } else if (c.desire() == ClusterDesire.DELETED || vm.state() == VmState.PENDING || vm.state() == VmState.HOLD) {
          retire(vm, c.desire() == ClusterDesire.DELETED ? why : "cluster stopped before it ran");
          done = false;
        } else if (vm.state() != VmState.STOPPED && vm.state() != VmState.FAILED) {
          done = false;
          notes.add(vm.name() + ": waiting for " + vm.state() + " to end");
        }
      }
      String what = c.desire() == ClusterDesire.DELETED ? "deleted" : "stopped";
      roleConditions.putIfAbsent(x.name(), done
          ? cond(x, ClusterPhase.DONE, what)
          : cond(x, failed ? ClusterPhase.FAILED_UNDEPLOY : ClusterPhase.UNDEPLOYING, failed ? "an onStop hook failed; stopping anyway"
              : allHooksDone ? "stopping members" : "onStop hooks done; waiting for the other roles' before stopping"));
    }

    private boolean hooksFailed(RoleSpec x, HookEvent event, Vm vm) {
      for (int i = 0; i < x.hooks().size(); i++) {
        HookOutcome out = c.hooks().get(hookKey(event, x, i, vm, vm));
        if (x.hooks().get(i).event() == event && out != null && out.gaveUp()) {
          return true;
        }
      }
      return false;
    }

    // ---- conditions, variables, helpers ------------------------------------------------------

    private Condition clusterCondition() {
      List<ClusterPhase> phases = roleConditions.values().stream().map(Condition::phase).toList();
      ClusterPhase p;
      String reason;
      if (c.desire() != ClusterDesire.RUNNING) {
        p = phases.stream().allMatch(x -> x == ClusterPhase.DONE) && actions.isEmpty() ? ClusterPhase.DONE
            : phases.contains(ClusterPhase.FAILED_UNDEPLOY) ? ClusterPhase.FAILED_UNDEPLOY : ClusterPhase.UNDEPLOYING;
      } else if (phases.contains(ClusterPhase.FAILED_DEPLOY)) {
        p = ClusterPhase.FAILED_DEPLOY;
      } else if (phases.contains(ClusterPhase.DEGRADED)) {
        p = ClusterPhase.DEGRADED;
      } else if (phases.stream().allMatch(x -> x == ClusterPhase.RUNNING || x == ClusterPhase.COOLDOWN) && create.isEmpty() && actions.isEmpty()) {
        p = ClusterPhase.RUNNING;
      } else if (phases.contains(ClusterPhase.SCALING)) {
        p = ClusterPhase.SCALING;
      } else {
        p = ClusterPhase.DEPLOYING;
      }
      reason = switch (p) {
        case RUNNING -> "all roles ready";
        case DONE -> c.desire() == ClusterDesire.DELETED ? "deleted" : "stopped";
        default -> firstReason(p);
      };
      return c.condition().next(p, reason, s.now());
    }

    private String firstReason(ClusterPhase p) {
      for (var e : roleConditions.entrySet()) {
        if (e.getValue().phase() == p) {
          return e.getKey() + ": " + e.getValue().reason();
        }
      }
      for (var e : roleConditions.entrySet()) {
        if (e.getValue().phase() != ClusterPhase.RUNNING && e.getValue().phase() != ClusterPhase.DONE) {
          return e.getKey() + ": " + e.getValue().reason();
        }
      }
      return p == ClusterPhase.UNDEPLOYING ? "stopping members" : "creating members";
    }

    List<ProbeRun> probes(RoleSpec role) {
      List<ProbeRun> out = new ArrayList<>();
      for (var m : role.metrics()) {
        RoleSpec on = m.runOn() == null ? role : role(m.runOn());
        membersOf(on).values().stream().filter(vm -> vm.state() == VmState.RUNNING && !draining(vm)).findFirst()
            .ifPresent(vm -> out.add(new ProbeRun(role.name(), m.name(), vm.name(), Templates.render(m.command(), variables(vm, vm)), guest(vm))));
      }
      return out;
    }

    private Condition cond(RoleSpec x, ClusterPhase p, String reason) {
      Condition prev = c.roles().get(x.name());
      return prev == null ? new Condition(p, reason, s.now()) : prev.next(p, reason, s.now());
    }

    /** The template variables for a hook about {@code member} run on {@code target}. */
    private Map<String, String> variables(Vm member, Vm target) {
      Map<String, String> v = memberVariables(member.name(), roleOf(member), indexOf(member.name()), address(member), mac(member));
      v.put("target.name", target.name());
      v.put("target.address", address(target));
      return v;
    }

    /** The variables about one member (no target), its peers (the running members of every role) and the cluster. */
    private Map<String, String> memberVariables(String name, String role, int index, String address, String mac) {
      Map<String, String> v = new HashMap<>();
      v.put("member.name", name);
      v.put("member.hostname", name);
      v.put("member.address", address);
      v.put("member.mac", mac);
      v.put("member.index", Integer.toString(index));
      v.put("member.role", role);
      v.put("cluster.name", c.name());
      for (RoleSpec r : spec.roles()) {
        List<Vm> ms = membersOf(r).values().stream().filter(vm -> vm.state() == VmState.RUNNING && !draining(vm)).toList();
        String names = String.join(" ", ms.stream().map(Vm::name).toList());
        v.put("roles." + r.name() + ".names", names);
        v.put("roles." + r.name() + ".hostnames", names);
        v.put("roles." + r.name() + ".addresses", String.join(" ", ms.stream().map(Run::address).filter(a -> !a.isEmpty()).toList()));
      }
      v.put("role.names", v.getOrDefault("roles." + role + ".names", ""));
      v.put("role.hostnames", v.getOrDefault("roles." + role + ".hostnames", ""));
      v.put("role.addresses", v.getOrDefault("roles." + role + ".addresses", ""));
      return v;
    }

    /** The spec's guest-exec URI rendered for {@code target}, or null (the default transport). */
    private @org.jspecify.annotations.Nullable String guest(Vm target) {
      String g = spec.guest();
      return g == null ? null : Templates.render(g, variables(target, target));
    }

    private static String address(Vm vm) {
      return vm.leases().isEmpty() ? "" : vm.leases().get(0).ip();
    }

    private static String mac(Vm vm) {
      return vm.leases().isEmpty() ? "" : vm.leases().get(0).mac();
    }

    private String roleOf(Vm vm) {
      String r = vm.spec().labels().get(ClusterSpec.ROLE_LABEL);
      return r == null ? "" : r;
    }

    private List<RoleSpec> rolesOn(RoleSpec vmRole) {
      return spec.roles().stream().filter(x -> spec.vmRole(x).name().equals(vmRole.name())).toList();
    }

    /** The members of {@code x}'s VMs (its own, or those of the role holding it), by index. */
    private TreeMap<Integer, Vm> membersOf(RoleSpec x) {
      return java.util.Objects.requireNonNull(byRole.get(spec.vmRole(x).name()), "every role with VMs has an entry");
    }

    private RoleSpec role(String name) {
      return java.util.Objects.requireNonNull(spec.role(name), () -> "validated: role " + name + " exists");
    }

    private Cause cause(String reason) {
      return Cause.of(Origin.CLUSTER, cycle, "cluster " + c.name() + ": " + reason);
    }

    private static int indexOf(String name) {
      int dash = name.lastIndexOf('-');
      try {
        return dash < 0 ? -1 : Integer.parseInt(name.substring(dash + 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

}
