package org.corral.controller.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.corral.controller.command.Commands;
import org.corral.controller.command.VmRequest;
import org.corral.controller.connection.Stages;
import org.corral.controller.guest.ServiceChecks;
import org.corral.controller.state.ControllerState;
import org.corral.controller.store.Json;
import org.corral.drivers.Drivers;
import org.corral.drivers.guest.ExecResult;
import org.corral.model.ConflictException;
import org.corral.model.CorralException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.cluster.CheckKind;
import org.corral.model.cluster.Cluster;
import org.corral.model.cluster.ClusterDesire;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.ElasticitySpec;
import org.corral.model.cluster.HookOutcome;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.cluster.ScaleRule;
import org.corral.model.host.Host;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Clock;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.policy.cluster.CheckRun;
import org.corral.policy.cluster.ClusterChecks;
import org.corral.policy.cluster.ClusterPolicy;
import org.corral.policy.cluster.Elasticity;
import org.corral.policy.cluster.HookRun;
import org.corral.policy.cluster.MemberRequest;
import org.corral.policy.cluster.ProbeRun;
import org.jspecify.annotations.Nullable;

/**
 * Virtual clusters (docs/virtual-clusters.md): snapshot → {@link ClusterPolicy} (pure) → members
 * to create, a plan (start, stop, delete members) for the planner, hooks and checks to run. It
 * observes what the snapshot lacks, running hooks and checks in the members' guests through the
 * guest-exec transports (off the loop, with timeout and retries with backoff on the clock) and
 * TCP/HTTP checks through the probe drivers, and keeps each cluster (spec, wanted counts,
 * conditions, hook history) in the store's meta data under {@value #META_PREFIX}NAME.
 */
public final class ClusterReconciler extends Loop implements PlanningLoop {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterReconciler.class);
  public static final String META_PREFIX = "cluster/";
  private static final ObjectMapper JSON = Json.mapper();
  private final ControllerState state;
  private final Planner planner;
  private final Commands commands;
  private final Drivers drivers;
  private final ClusterPolicy policy = new ClusterPolicy();
  private final Map<String, Cluster> clusters = new TreeMap<>();
  /** Cluster → readiness passed ({@code role/vm}); soft state, rebuilt by the checks after a restart. */
  private final Map<String, Set<String>> ready = new HashMap<>();
  /** VM uuid → consecutive failed health checks. */
  private final Map<String, Integer> healthFailures = new HashMap<>();
  private final Map<String, Integer> healthLimit = new HashMap<>();
  /** Members' supervised services (health checks with a supervisor preset). */
  private final MemberSupervisor supervisor;
  /** Members (VM uuids) their supervisor handed over to be replaced. */
  private final Set<String> supervisedOut = new HashSet<>();
  /** Hook and check keys running now; each runs at most once at a time. */
  private final Set<String> inFlight = new HashSet<>();
  /** Check key → when it may run again. */
  private final Map<String, Instant> due = new HashMap<>();
  /** Elasticity, per {@code cluster/role}: aggregated metrics per period, oldest first (soft state, rebuilt after a restart). */
  private final Map<String, Deque<Map<String, Double>>> metricHistory = new HashMap<>();
  /** Per {@code cluster/role}: when its period ends and its elasticity is evaluated. */
  private final Map<String, Instant> periodEnd = new HashMap<>();
  /** Per {@code cluster/role}: the last elasticity decision (soft state), which the role's condition reports. */
  private final Map<String, Elasticity.Decision> lastElastic = new HashMap<>();
  /** Per {@code cluster/role}: metric → probe samples in the period running now. */
  private final Map<String, Map<String, List<Double>>> probeSamples = new HashMap<>();
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  public ClusterReconciler(Clock clock, Duration period, long seed, ControllerState state, Planner planner, Commands commands,
      Drivers drivers, Map<String, String> meta) {
    super("clusters", clock, period, seed);
    this.state = state;
    this.planner = planner;
    this.commands = commands;
    this.drivers = drivers;
    this.supervisor = new MemberSupervisor(clock, this::exec, this::addHistory, uuid -> {
      supervisedOut.add(uuid);
      wake();
    });
    meta.forEach((k, v) -> {
      if (k.startsWith(META_PREFIX) && !v.isEmpty()) {
        try {
          Cluster c = JSON.readValue(v, Cluster.class);
          clusters.put(c.name(), c);
        } catch (JsonProcessingException e) {
          LOG.error("ignoring unreadable cluster {}: {}", k, e.getOriginalMessage());
        }
      }
    });
  }

  // ---- requests (on the loop) ------------------------------------------------------------------

  /** Creates the cluster or changes its spec; the same spec again changes nothing. */
  public Cluster apply(ClusterSpec spec, String owner, String who) {
    ClusterChecks.check(spec.validate(), state.snapshot(0, 0));
    Cluster old = clusters.get(spec.name());
    Cluster c;
    if (old == null) {
      c = Cluster.create(spec, owner, clock.now());
    } else if (old.spec().equals(spec) && old.desire() == ClusterDesire.RUNNING) {
      return old;
    } else {
      c = old.withSpec(spec).withDesire(ClusterDesire.RUNNING).withHistory(clock.now() + " spec applied by " + who);
    }
    save(c, old == null ? EntryKind.CREATED : EntryKind.UPDATED, Cause.user(who, "apply cluster " + spec.name()),
        (old == null ? "cluster created by " : "cluster spec applied by ") + who);
    wake();
    return c;
  }

  /**
   * What {@link #apply} followed by one reconciliation would do now, elasticity included (on an
   * existing cluster: what its rules would change on the periods measured so far, said in the
   * plan's notes); changes nothing.
   */
  public ClusterPolicy.Decision preview(ClusterSpec spec, String owner) {
    ClusterChecks.check(spec.validate(), state.snapshot(0, 0));
    Cluster old = clusters.get(spec.name());
    Cluster c = old == null ? Cluster.create(spec, owner, clock.now()) : old.withSpec(spec).withDesire(ClusterDesire.RUNNING);
    List<String> notes = new ArrayList<>();
    c = elasticPreview(c, notes);
    ClusterPolicy.Decision d = policy.decide(c, state.snapshot(0, 0), observed(c));
    if (notes.isEmpty()) {
      return d;
    }
    notes.addAll(d.plan().notes());
    return new ClusterPolicy.Decision(d.create(), new Plan(d.plan().origin(), d.plan().cycle(), d.plan().actions(), notes), d.hooks(), d.checks(),
        d.condition(), d.roles());
  }

  public Cluster scale(String name, String role, int count, String who) {
    Cluster c = require(name);
    RoleSpec r = c.spec().role(role);
    if (r == null || r.hostedBy() != null) {
      throw new InvalidInputException("role", InvalidInputException.quote(role) + " is not a role with VMs of its own in cluster " + name,
          "roles: " + String.join(", ", c.counts().keySet()));
    }
    if (count < r.min() || count > r.max()) {
      throw new InvalidInputException("count", count + " is outside " + role + "'s min " + r.min() + " .. max " + r.max(),
          "give a count from " + r.min() + " to " + r.max() + ", or change min/max in the spec and apply it");
    }
    if (c.count(role) == count) {
      return c;
    }
    // The time of the change starts the elasticity cool-down too: rules do not undo a manual scale at once.
    Cluster n = c.withScaled(role, count, clock.now()).withHistory(clock.now() + " " + role + " scaled to " + count + " by " + who);
    save(n, EntryKind.UPDATED, Cause.user(who, "scale " + name + " " + role + " to " + count), role + " scaled from " + c.count(role) + " to " + count);
    wake();
    return n;
  }

  /** stop, start or delete: what is wanted of the whole cluster. */
  public Cluster desire(String name, ClusterDesire d, String who) {
    Cluster c = require(name);
    if (c.desire() == d) {
      return c;
    }
    if (c.desire() == ClusterDesire.DELETED) {
      throw new ConflictException("cluster " + name + " is being deleted");
    }
    Cluster n = c.withDesire(d).withHistory(clock.now() + " " + d.name().toLowerCase() + " requested by " + who);
    save(n, EntryKind.UPDATED, Cause.user(who, d.name().toLowerCase() + " cluster " + name), "wanted " + d);
    wake();
    return n;
  }

  public Cluster require(String name) {
    Cluster c = clusters.get(name);
    if (c == null) {
      throw new NotFoundException("cluster", name);
    }
    return c;
  }

  public List<Cluster> clusters() {
    return List.copyOf(clusters.values());
  }

  /** The cluster's member VMs now. */
  public List<Vm> members(String name) {
    return ClusterPolicy.members(state.snapshot(0, 0), name);
  }

  // ---- the loop ----------------------------------------------------------------------------

  @Override
  protected void cycle(long cycle, long seed) {
    if (clusters.isEmpty()) {
      return;
    }
    Snapshot snap = state.snapshot(cycle, seed);
    if (!supervisor.isEmpty() || !supervisedOut.isEmpty()) {
      Set<String> live = new HashSet<>();
      snap.vms().values().forEach(v -> live.add(v.uuid()));
      supervisor.retainAll(live);
      supervisedOut.retainAll(live);
    }
    for (Cluster c : List.copyOf(clusters.values())) {
      reconcile(elastic(c, snap), snap);
    }
  }

  @Override
  public Plan plan(Snapshot snapshot, Planner recorder) {
    List<org.corral.model.plan.Action> actions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Cluster c : clusters.values()) {
      ClusterPolicy.Decision d = policy.decide(elasticPreview(c, notes), snapshot, observed(c), recorder::isBusy);
      actions.addAll(d.plan().actions());
      notes.addAll(d.plan().notes());
      d.create().forEach(m -> notes.add("cluster " + c.name() + ": create member " + m.name()));
      d.hooks().forEach(h -> notes.add("cluster " + c.name() + ": run " + h.event().yaml() + " on " + h.target() + ": " + h.command()));
    }
    return new Plan(Origin.CLUSTER, snapshot.cycle(), actions, notes);
  }

  private void reconcile(Cluster original, Snapshot snap) {
    Cluster c = original;
    ClusterPolicy.Decision d = policy.decide(c, snap, observed(c), planner::isBusy);
    for (MemberRequest m : d.create()) {
      if (state.vm(m.name()).isPresent()) {
        continue; // created, not yet in this snapshot, or a VM of that name not ours: the policy says again next cycle
      }
      try {
        commands.createVm(request(m), c.owner(), "cluster " + c.name(), m::userData);
      } catch (CorralException e) {
        c = c.withHistory(clock.now() + " cannot create " + m.name() + ": " + e.getMessage());
      }
    }
    // What the cluster stops it wants stopped (so that no one restarts it as a crash), what it starts running.
    for (org.corral.model.plan.Action a : d.plan().actions()) {
      DesiredState want = a instanceof org.corral.model.plan.Action.StopVm ? DesiredState.STOPPED
          : a instanceof org.corral.model.plan.Action.StartVm ? DesiredState.RUNNING : null;
      Vm vm = want == null ? null : state.vm(a.subject()).orElse(null);
      if (want != null && vm != null && vm.desired() != want && !planner.isBusy(vm.name())) {
        state.tx().put(vm.withDesired(want)).commit();
      }
    }
    planner.submit(d.plan());
    for (HookRun h : d.hooks()) {
      if (inFlight.add(h.key())) {
        runHook(c.name(), h, 1);
      }
    }
    for (CheckRun ch : d.checks()) {
      runCheck(c.name(), ch);
    }
    Cluster updated = c;
    if (!d.condition().equals(c.condition()) || !d.roles().equals(c.roles())) {
      updated = c.withConditions(d.condition(), d.roles());
      if (d.condition().phase() != c.condition().phase()) {
        updated = updated.withHistory(clock.now() + " " + d.condition().phase() + ": " + d.condition().reason());
      }
    }
    if (c.desire() == ClusterDesire.DELETED && d.condition().phase() == org.corral.model.cluster.ClusterPhase.DONE) {
      clusters.remove(c.name());
      ready.remove(c.name());
      String prefix = c.name() + "/";
      lastElastic.keySet().removeIf(k -> k.startsWith(prefix));
      state.tx().meta(META_PREFIX + c.name(), "").journal(EntryKind.DELETED, SubjectKind.CLUSTER, c.name(), null, null, null,
          Cause.of(Origin.CLUSTER, snap.cycle(), "deleted"), "cluster deleted: its members are gone").commit();
      return;
    }
    if (updated != original) {
      save(updated, EntryKind.STATE_CHANGED, Cause.of(Origin.CLUSTER, snap.cycle(), "reconcile"), updated.condition().phase() + ": "
          + updated.condition().reason());
    }
  }

  /**
   * Elasticity: at the end of each role's period, its metrics (the Monitor's cpu and memory of
   * its members in the snapshot, the samples its probes returned during the period) become one
   * period of history and {@link Elasticity} decides; a new count is persisted with the time (for
   * the cool-down) and the reason in the cluster's history, and the policy then deploys or drains.
   * Each period's probes start as it begins.
   */
  private Cluster elastic(Cluster c, Snapshot snap) {
    if (c.desire() != ClusterDesire.RUNNING) {
      return c;
    }
    Instant now = clock.now();
    Cluster out = c;
    for (RoleSpec r : c.spec().roles()) {
      ElasticitySpec e = r.elasticity();
      if (e == null || r.hostedBy() != null) {
        continue;
      }
      String key = c.name() + "/" + r.name();
      Instant end = periodEnd.get(key);
      if (end != null && now.isBefore(end)) {
        continue;
      }
      periodEnd.put(key, now.plus(e.period()));
      Map<String, List<Double>> samples = new TreeMap<>();
      Map<String, List<Double>> probed = probeSamples.remove(key);
      if (end != null) {
        if (probed != null) {
          samples.putAll(probed);
        }
        samples.putAll(monitored(snap, c, r));
        Deque<Map<String, Double>> history = metricHistory.computeIfAbsent(key, k -> new ArrayDeque<>());
        history.addLast(Elasticity.aggregate(samples));
        int keep = Math.max(1, e.rules().stream().mapToInt(ScaleRule::forPeriods).max().orElse(1));
        while (history.size() > keep) {
          history.removeFirst();
        }
        int from = out.count(r.name());
        Elasticity.Decision d = elasticity(out, r, now);
        lastElastic.put(key, d);
        Integer to = d.count();
        if (to != null) {
          out = out.withScaled(r.name(), to, now).withHistory(now + " " + r.name() + " scaled from " + from + " to " + to + ": " + d.reason());
          save(out, EntryKind.UPDATED, Cause.of(Origin.CLUSTER, snap.cycle(), "elasticity: " + d.reason()),
              r.name() + " scaled from " + from + " to " + to + " by elasticity");
        }
      }
      for (ProbeRun p : policy.probes(out, snap, r)) {
        runProbe(key, p);
      }
    }
    return out;
  }

  /** Elasticity's decision for {@code r} now, on the periods measured so far (the loop's and a preview's one code path). */
  private Elasticity.Decision elasticity(Cluster c, RoleSpec r, Instant now) {
    Deque<Map<String, Double>> history = metricHistory.getOrDefault(c.name() + "/" + r.name(), new ArrayDeque<>());
    return Elasticity.decide(r, c.count(r.name()), List.copyOf(history), c.scaledAt(r.name()), now);
  }

  /**
   * What elasticity would change now (recommend mode, {@code corral cluster plan}): each elastic
   * role's decision on the periods measured so far, the new counts applied to a copy of the
   * cluster; changes nothing. Notes say what and why.
   */
  private Cluster elasticPreview(Cluster c, List<String> notes) {
    if (c.desire() != ClusterDesire.RUNNING) {
      return c;
    }
    Cluster out = c;
    Instant now = clock.now();
    for (RoleSpec r : c.spec().roles()) {
      if (r.elasticity() == null || r.hostedBy() != null || !clusters.containsKey(c.name())) {
        continue;
      }
      Elasticity.Decision d = elasticity(out, r, now);
      Integer to = d.count();
      if (to != null) {
        notes.add("cluster " + c.name() + ": elasticity would scale " + r.name() + " from " + out.count(r.name()) + " to " + to + ": " + d.reason());
        out = out.withScaled(r.name(), to, now);
      } else if (d.state() == Elasticity.State.COOLDOWN) {
        notes.add("cluster " + c.name() + ": elasticity of " + r.name() + ": " + d.reason());
      }
    }
    return out;
  }

  /**
   * A role's metrics as elasticity reads them, read-only: the aggregated periods kept (oldest
   * first), the probe samples of the period running now, when it ends, and the last decision.
   */
  public RoleMetrics metrics(String cluster, String role) {
    Cluster c = require(cluster);
    RoleSpec r = c.spec().role(role);
    if (r == null) {
      throw new NotFoundException("role", cluster + "/" + role);
    }
    String key = cluster + "/" + role;
    Map<String, List<Double>> current = new TreeMap<>();
    probeSamples.getOrDefault(key, Map.of()).forEach((m, v) -> current.put(m, List.copyOf(v)));
    Elasticity.Decision last = lastElastic.get(key);
    return new RoleMetrics(cluster, role, c.count(role), r.elasticity() == null ? null : r.elasticity().period().toString(),
        List.copyOf(metricHistory.getOrDefault(key, new ArrayDeque<>()).stream().map(Map::copyOf).toList()), current, periodEnd.get(key),
        c.scaledAt(role), last == null ? null : last.state().name(), last == null ? null : last.reason());
  }

  /** {@link #metrics}' answer. */
  public record RoleMetrics(String cluster, String role, int count, @Nullable String period, List<Map<String, Double>> periods,
      Map<String, List<Double>> current, @Nullable Instant periodEnds, @Nullable Instant scaledAt, @Nullable String elasticity,
      @Nullable String reason) {}

  /** The Monitor's metrics of {@code r}'s running members: cpu (last poll, 0..1) and memory (MiB the domain holds). */
  private static Map<String, List<Double>> monitored(Snapshot snap, Cluster c, RoleSpec r) {
    List<Double> cpu = new ArrayList<>();
    List<Double> memory = new ArrayList<>();
    for (Vm vm : ClusterPolicy.members(snap, c.name())) {
      var o = snap.vmObservation(vm.name());
      if (o != null && vm.owner().equals(c.owner()) && r.name().equals(vm.spec().labels().get(ClusterSpec.ROLE_LABEL))
          && vm.state() == org.corral.model.vm.VmState.RUNNING) {
        if (!o.cpu().isEmpty()) {
          cpu.add(o.cpu().last());
        }
        memory.add((double) o.memoryMib());
      }
    }
    Map<String, List<Double>> out = new TreeMap<>();
    if (!cpu.isEmpty()) {
      out.put("cpu", cpu);
    }
    if (!memory.isEmpty()) {
      out.put("memory", memory);
    }
    return out;
  }

  /** Runs a metric probe off the loop; a number on its stdout is a sample of the period running when it returns. */
  private void runProbe(String key, ProbeRun p) {
    String flight = "probe/" + key + "/" + p.metric();
    if (!inFlight.add(flight)) {
      return;
    }
    exec(p.vm(), p.guest(), p.command(), PROBE_TIMEOUT).whenComplete((r, err) -> clock.execute(() -> {
      inFlight.remove(flight);
      String out = err != null || !r.ok() ? null : r.stdout().strip();
      try {
        double v = Double.parseDouble(out == null ? "" : out);
        if (Double.isFinite(v)) {
          probeSamples.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(p.metric(), k -> new ArrayList<>()).add(v);
          return;
        }
      } catch (NumberFormatException e) {
        // fall through: no sample
      }
      LOG.warn("metric {} of {} on {}: no number ({})", p.metric(), key, p.vm(),
          err != null ? err.getMessage() : "exit " + r.exitCode() + ", output " + abbreviate(r.stdout()));
    }));
  }

  private ClusterPolicy.Observed observed(Cluster c) {
    Set<String> unhealthy = new HashSet<>(supervisedOut);
    healthFailures.forEach((uuid, n) -> {
      if (n >= healthLimit.getOrDefault(uuid, Integer.MAX_VALUE)) {
        unhealthy.add(uuid);
      }
    });
    Map<String, Elasticity.Decision> elastic = new HashMap<>();
    for (RoleSpec r : c.spec().roles()) {
      Elasticity.Decision d = lastElastic.get(c.name() + "/" + r.name());
      if (d != null) {
        elastic.put(r.name(), d);
      }
    }
    return new ClusterPolicy.Observed(ready.getOrDefault(c.name(), Set.of()), unhealthy, elastic);
  }

  private static VmRequest request(MemberRequest m) {
    var s = m.spec();
    return new VmRequest(m.name(), s.cpus(), s.memoryMib(), s.disks(), s.nics(), s.requirements(), s.policy(), s.rank(), s.affinityGroup(),
        s.antiAffinityGroup(), s.ha(), null, s.userData(), s.labels(), null);
  }

  // ---- hooks and checks, off the loop ---------------------------------------------------------

  /**
   * The default guest-exec target of a member (the spec's {@code guest} URI, when given, wins): in
   * the simulator its domain, else the QEMU guest agent through its host.
   */
  private @Nullable String guestTarget(String vmName) {
    Vm vm = state.vm(vmName).orElse(null);
    Host host = vm == null || vm.host() == null ? null : state.host(vm.host()).orElse(null);
    if (host == null) {
      return null;
    }
    return ServiceChecks.guestTarget(host.uri(), vmName);
  }

  private CompletionStage<ExecResult> exec(String vm, @Nullable String guest, List<String> argv, Duration timeout) {
    String target = guest != null ? guest : guestTarget(vm);
    if (target == null) {
      return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(vm + " has no host"));
    }
    try {
      return Stages.within(drivers.guestFor("guest", target).exec(target, argv, timeout), timeout, clock, "exec in " + vm);
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  private void runHook(String cluster, HookRun h, int attempt) {
    exec(h.target(), h.guest(), h.command(), h.timeout()).whenComplete((r, err) -> clock.execute(() -> {
      boolean ok = err == null && r.ok();
      if (!ok && attempt <= h.retries()) {
        clock.schedule(h.backoff().multipliedBy(1L << Math.min(attempt - 1, 20)), () -> runHook(cluster, h, attempt + 1));
        return;
      }
      inFlight.remove(h.key());
      Cluster c = clusters.get(cluster);
      if (c == null) {
        return;
      }
      int exit = err != null ? -1 : r.exitCode();
      String output = err != null ? String.valueOf(err.getMessage()) : (r.stdout() + r.stderr());
      HookOutcome o = new HookOutcome(h.key(), h.target(), h.command(), exit, output, attempt, ok, !ok, clock.now());
      Cluster n = c.withHook(o).withHistory(clock.now() + " " + h.event().yaml() + " on " + h.target() + ": " + String.join(" ", h.command())
          + " -> " + (ok ? "ok" : "failed (exit " + exit + ", " + attempt + " attempts): " + abbreviate(output)));
      save(n, EntryKind.UPDATED, Cause.of(Origin.CLUSTER, 0, "hook"), h.event().yaml() + " on " + h.target() + (ok ? " succeeded" : " failed"));
      wake();
    }));
  }

  private void runCheck(String cluster, CheckRun ch) {
    String key = (ch.health() ? "health/" : "ready/") + cluster + "/" + ch.key() + "/" + ch.check().hashCode();
    Instant now = clock.now();
    if (inFlight.contains(key) || now.isBefore(due.getOrDefault(key, Instant.MIN))) {
      return;
    }
    Vm vm = state.vm(ch.vm()).orElse(null);
    if (vm == null) {
      return;
    }
    String uuid = vm.uuid();
    inFlight.add(key);
    // Readiness is retried every few seconds until it passes; health checks run every period.
    boolean supervised = ch.health() && ch.check().supervisor() != null;
    due.put(key, now.plus(supervised ? MemberSupervisor.poll(ch) : ch.health() ? ch.check().period() : Duration.ofSeconds(2)));
    CompletionStage<Boolean> result;
    if (ch.check().kind() == CheckKind.EXEC || ch.check().kind() == CheckKind.NAGIOS) {
      boolean nagios = ch.check().kind() == CheckKind.NAGIOS;
      result = exec(ch.vm(), ch.guest(), ch.command(), ch.check().timeout()).thenApply(r -> r.exitCode() == 0 || nagios && r.exitCode() == 1);
    } else {
      String uri = ch.check().kind() == CheckKind.TCP ? "tcp://" + ch.address() + ":" + ch.check().port()
          : "http://" + ch.address() + ":" + ch.check().port() + ch.check().path();
      try {
        result = Stages.within(drivers.probeFor("check", uri).check(uri, ch.check().timeout()), ch.check().timeout().plusSeconds(1), clock, uri)
            .thenApply(p -> p.healthy());
      } catch (RuntimeException e) {
        result = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
    }
    result.whenComplete((ok, err) -> clock.execute(() -> {
      inFlight.remove(key);
      boolean passed = err == null && Boolean.TRUE.equals(ok);
      if (supervised) {
        supervisor.polled(cluster, ch, uuid, passed);
      } else if (ch.health()) {
        healthLimit.put(uuid, ch.check().failures());
        healthFailures.merge(uuid, passed ? 0 : 1, (a, b) -> b == 0 ? 0 : a + b);
        if (!passed && healthFailures.getOrDefault(uuid, 0) >= ch.check().failures()) {
          wake();
        }
      } else if (passed && ready.computeIfAbsent(cluster, k -> new HashSet<>()).add(ch.key())) {
        wake();
      }
    }));
  }

  /** A line in cluster {@code name}'s history (a supervisor's decision), kept with it. */
  private void addHistory(String name, String line) {
    Cluster c = clusters.get(name);
    if (c != null) {
      save(c.withHistory(line), EntryKind.UPDATED, Cause.of(Origin.CLUSTER, 0, "supervisor"), line);
    }
  }

  private static String abbreviate(String s) {
    String one = s.strip().replace('\n', ' ');
    return one.length() > 200 ? one.substring(0, 200) + "…" : one;
  }

  private void save(Cluster c, EntryKind kind, Cause cause, String message) {
    clusters.put(c.name(), c);
    String json;
    try {
      json = JSON.writeValueAsString(c);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cluster " + c.name() + " cannot be written as JSON", e);
    }
    state.tx().meta(META_PREFIX + c.name(), json).journal(kind, SubjectKind.CLUSTER, c.name(), null, null, null, cause, message).commit();
  }
}
