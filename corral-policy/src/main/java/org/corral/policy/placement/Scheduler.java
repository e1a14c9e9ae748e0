package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.corral.model.InvalidInputException;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.policy.expr.CompiledExpression;
import org.corral.policy.expr.ExpressionCache;
import org.corral.policy.expr.ExpressionKind;

/**
 * Decides where VMs go. Pure: {@link #place} reads the snapshot and returns placements as data
 * (the caller makes them DeployVm or MigrateVm actions) and reports; {@link #session} gives a
 * what-if state for the optimizer (VMs removed, hosts excluded, OFF hosts at a cost); it never mutates its inputs and uses no randomness, so the same snapshot and VMs
 * always give the same result (ties go to the host whose name sorts first).
 *
 * <p>Thread-safety: an instance may be shared; calls do not interfere (the only shared state is
 * the synchronized, process-wide cache of compiled expressions).
 */
public final class Scheduler {
  private final SchedulerSettings settings;
  private final boolean useIndexes;
  private final Map<PlacementPolicy, Pipeline> pipelines = new EnumMap<>(PlacementPolicy.class);
  private final ExpressionCache expressions = ExpressionCache.shared();

  public Scheduler(SchedulerSettings settings) {
    this(settings, true);
  }

  /** {@code useIndexes = false} scans every host for every VM: the reference the tests compare with. */
  Scheduler(SchedulerSettings settings, boolean useIndexes) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.useIndexes = useIndexes;
    for (PlacementPolicy p : PlacementPolicy.values()) {
      pipelines.put(p, Pipelines.build(p));
    }
  }

  /**
   * Places {@code vms} in the given order on {@code snapshot}. Each placement is accounted for
   * before the next VM is considered: it takes room and counts for affinity and anti-affinity.
   * Every VM ends up in exactly one of the result's lists. Only hosts that are on are used.
   */
  public PlacementResult place(Snapshot snapshot, List<Vm> vms) {
    Objects.requireNonNull(vms, "vms");
    PlacementSession session = session(snapshot, false);
    List<Placement> placements = new ArrayList<>();
    List<PlacementReport> unplaced = new ArrayList<>();
    for (Vm vm : vms) {
      PlacementSession.PlacementOutcome o = session.place(vm);
      Placement p = o.placement();
      if (p != null) {
        placements.add(p);
      } else {
        unplaced.add(Objects.requireNonNull(o.unplaced(), "an outcome is placed or unplaced"));
      }
    }
    return new PlacementResult(placements, unplaced);
  }

  /**
   * A what-if session on {@code snapshot} (see {@link PlacementSession}).
   *
   * @param mayWake true to consider OFF hosts, at a cost: only when no host that is on fits
   */
  public PlacementSession session(Snapshot snapshot, boolean mayWake) {
    Objects.requireNonNull(snapshot, "snapshot");
    return new PlacementSession(this, snapshot, settings, mayWake);
  }

  /** True when {@code host} is a reserved spare (see {@link SchedulerSettings#spare}). */
  public boolean spare(org.corral.model.host.Host host) {
    return settings.spare(host);
  }

  boolean fits(PlacementSession session, Vm vm, int host) {
    Candidate candidate = session.candidateFor(vm);
    if (candidate == null) {
      return false;
    }
    Pipeline pipeline = Objects.requireNonNull(pipelines.get(candidate.policy()), "every policy has a pipeline");
    return pipeline.firstRejection(session.state(), host, candidate) < 0;
  }

  /** The VM as the pipeline sees it, or null when its expressions are unusable (it fits nowhere). */
  @Nullable Candidate candidateOrNull(Vm vm) {
    try {
      return candidate(vm);
    } catch (UnusableExpression e) {
      return null;
    }
  }

  void assign(PlacementSession session, Vm vm, int host) {
    session.state().place(host, candidate(vm));
  }

  PlacementSession.PlacementOutcome placeOne(PlacementSession session, Vm vm, boolean sparesFirst) {
    PlacementState state = session.state();
    PlacementReport same = sparesFirst ? null : session.failedLike(vm);
    if (same != null) {
      return PlacementSession.PlacementOutcome.unplaced(same);
    }
    Candidate candidate;
    try {
      candidate = candidate(vm);
    } catch (UnusableExpression e) {
      return PlacementSession.PlacementOutcome.unplaced(UnplacedReports.invalidExpression(state, vm.name(), e.reason, String.valueOf(e.getMessage())));
    }
    Pipeline pipeline = Objects.requireNonNull(pipelines.get(candidate.policy()), "every policy has a pipeline");
    HostOrder order = pipeline.indexOrder();
    int host = HostSearch.NONE;
    int[] rejections = null;
    boolean spares = sparesFirst && state.anySpare;
    if (spares) {
      host = spareScan(state, pipeline, candidate); // a spare that is on, first
    }
    if (host == HostSearch.NONE && useIndexes && order != null) {
      host = HostSearch.indexed(state, pipeline, session.indexes().forCandidate(order, candidate), candidate);
    } else if (host == HostSearch.NONE) {
      rejections = new int[pipeline.filters().size()];
      host = HostSearch.scan(state, pipeline, candidate, rejections);
    }
    boolean wake = false;
    if (host == HostSearch.NONE && session.mayWake()) {
      // At a cost: an OFF host only when nothing that is on fits. Rare, so a plain scan.
      state.wakeMode = true;
      try {
        if (spares) {
          host = spareScan(state, pipeline, candidate);
        }
        if (host == HostSearch.NONE) {
          host = HostSearch.scan(state, pipeline, candidate, new int[pipeline.filters().size()]);
        }
      } finally {
        state.wakeMode = false;
      }
      wake = host != HostSearch.NONE;
    }
    if (host == HostSearch.NONE && state.anyLastResort) {
      // Last resort (a paid cloud, say): only when no other host fits, not even one woken. A VM
      // whose requirements select such a host gets there the same way: every other host fails them.
      state.lastResortMode = true;
      try {
        rejections = new int[pipeline.filters().size()];
        host = HostSearch.scan(state, pipeline, candidate, rejections);
      } finally {
        state.lastResortMode = false;
      }
    }
    if (host == HostSearch.NONE) {
      if (rejections == null) {
        // The index found nothing; a full scan counts why, host by host, for the report.
        rejections = new int[pipeline.filters().size()];
        HostSearch.scan(state, pipeline, candidate, rejections);
      }
      PlacementReport report = UnplacedReports.fromScan(state, pipeline, candidate, rejections);
      session.rememberFailure(vm, report);
      return PlacementSession.PlacementOutcome.unplaced(report);
    }
    double score = pipeline.scorer().score(state, host, candidate);
    Placement p = new Placement(vm.name(), vm.state().reservesHost() ? vm.host() : null, state.names[host], score,
        pipeline.scorer().name(), wake, pipeline.scorer().why(state, host, candidate));
    if (wake) {
      state.wake(host);
    }
    state.place(host, candidate);
    return PlacementSession.PlacementOutcome.placed(p);
  }

  /** The best spare for the candidate (spares are few: a plain scan), or NONE. */
  private static int spareScan(PlacementState state, Pipeline pipeline, Candidate candidate) {
    state.spareMode = true;
    try {
      return HostSearch.scan(state, pipeline, candidate, new int[pipeline.filters().size()]);
    } finally {
      state.spareMode = false;
    }
  }

  /**
   * The VM with its effective policy and compiled expressions. Admission should have refused a
   * bad expression; one that slips through leaves only its own VM unplaced.
   */
  private Candidate candidate(Vm vm) {
    PlacementPolicy policy = vm.spec().policy() != null ? vm.spec().policy() : settings.defaultPolicy();
    @Nullable CompiledExpression requirements;
    @Nullable CompiledExpression rank;
    try {
      requirements = compile("spec.requirements", vm.spec().requirements(), ExpressionKind.REQUIREMENTS);
    } catch (InvalidInputException e) {
      throw new UnusableExpression(UnplacedReports.INVALID_REQUIREMENTS, e);
    }
    try {
      rank = compile("spec.rank", vm.spec().rank(), ExpressionKind.RANK);
      if (policy == PlacementPolicy.CUSTOM && rank == null) {
        throw new InvalidInputException("spec.rank", "is required when spec.policy is CUSTOM",
            "give a CEL expression such as 'host.free.memoryMib'");
      }
    } catch (InvalidInputException e) {
      throw new UnusableExpression(UnplacedReports.INVALID_RANK, e);
    }
    return new Candidate(vm, policy, requirements, rank);
  }

  private @Nullable CompiledExpression compile(String field, @Nullable String expr, ExpressionKind kind) {
    return expr == null ? null : expressions.get(field, expr, kind);
  }

  /** A VM's expression cannot be used; carries the report reason. */
  private static final class UnusableExpression extends RuntimeException {
    private final String reason;

    UnusableExpression(String reason, InvalidInputException cause) {
      super(cause.getMessage(), cause, false, false);
      this.reason = reason;
    }
  }
}
