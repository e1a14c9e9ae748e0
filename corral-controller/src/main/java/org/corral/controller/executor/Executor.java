package org.corral.controller.executor;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.SplittableRandom;
import org.corral.controller.connection.HostConnections;
import org.corral.controller.connection.Stages;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.model.CorralException;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Action;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.corral.model.time.Clock;
import org.corral.model.time.Seeds;

/**
 * Runs actions. Runs on the controller's loop (every method must be called there).
 *
 * <p>For each action: skip it if its key was already recorded (idempotency); record it QUEUED;
 * when a slot is free, re-check its preconditions (reject with the reason if they no longer
 * hold), write its start state and RUNNING record in one batch, call the drivers under a
 * timeout, retry transient errors with exponential backoff and seeded jitter, and write the
 * outcome with its state change in one batch. One action at a time per VM or host.
 */
public final class Executor implements Planner {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
  private final Clock clock;
  private final ControllerState state;
  private final HostConnections connections;
  private final Drivers drivers;
  private final ExecutorSettings settings;
  private final SplittableRandom jitter;
  private final MeterRegistry meters;
  private final ArrayDeque<ActionRecord> queue = new ArrayDeque<>();
  private final Map<String, Running> running = new LinkedHashMap<>();
  /**
   * Per subject (VM or host), the keys of its actions queued or running, in the order they may
   * start: only the first may run. A subject is busy from the moment an action on it is queued,
   * so no loop plans it again meanwhile.
   */
  private final Map<String, ArrayDeque<String>> subjects = new HashMap<>();
  /** Subjects kept busy by actions about others ({@link Action#alsoBusy}), with how many such actions. */
  private final Map<String, Integer> alsoBusy = new HashMap<>();
  // Running actions per pool and per host (all pools, and migrations alone), kept by track/untrack.
  private final int[] runningPerPool = new int[Step.Pool.values().length];
  private final Map<String, Integer> runningPerHost = new HashMap<>();
  private final Map<String, Integer> migrationsPerHost = new HashMap<>();
  /** Keys queued or running. */
  private final Set<String> activeKeys = new HashSet<>();
  /** Per subject, the key that runs first: what API threads read without hopping onto the loop. */
  private volatile int publishedRunning;
  private volatile int publishedQueued;
  private final java.util.concurrent.ConcurrentHashMap<String, String> firstKeys = new java.util.concurrent.ConcurrentHashMap<>();
  private long duplicates;

  public Executor(Clock clock, ControllerState state, HostConnections connections, Drivers drivers,
      ExecutorSettings settings, long seed, MeterRegistry meters) {
    this.clock = clock;
    this.state = state;
    this.connections = connections;
    this.drivers = drivers;
    this.settings = settings;
    this.jitter = Seeds.random(Seeds.derive(seed, "executor", 0));
    this.meters = meters;
  }

  public ExecutorSettings settings() {
    return settings;
  }

  /** Queues every action of {@code plan}; returns the keys accepted (already-known keys are skipped). */
  @Override
  public List<String> submit(Plan plan) {
    // One batch for the whole plan: a scheduling pass that places a thousand VMs is one commit.
    ControllerState.Tx tx = state.tx();
    List<ActionRecord> queued = new ArrayList<>();
    Set<String> planned = new HashSet<>();
    for (Action a : plan.actions()) {
      Action fresh = freshAttempt(a, planned);
      if (fresh == null) {
        duplicates++;
        continue;
      }
      planned.add(fresh.key());
      queued.add(record(tx, fresh));
    }
    tx.commit();
    List<String> accepted = new ArrayList<>(queued.size());
    for (ActionRecord r : queued) {
      queue.add(r);
      hold(r.action(), r.key(), false);
      accepted.add(r.key());
    }
    pump();
    return accepted;
  }

  /**
   * Queues one action; returns the key it runs under ({@code a.key()}, or {@code a.key()#n} for a
   * fresh attempt after a rejection or failure), or null when that intent is already queued,
   * running or done.
   */
  public @Nullable String submit(Action a) {
    List<String> keys = submit(Plan.of(a.cause().origin(), a.cause().cycle(), List.of(a)));
    return keys.isEmpty() ? null : keys.getFirst();
  }

  /**
   * Picks up the actions a previous run of the controller left unfinished. QUEUED ones are
   * queued again (their preconditions are re-checked as usual); RUNNING ones were started and
   * their start state written, so they are run again from there — every step's driver calls are
   * idempotent — and journaled as resumed, not started twice.
   */
  public void resume(List<ActionRecord> unfinished) {
    // Running ones first: each holds its subject, and queued ones on the same subject wait for it.
    for (ActionRecord r : unfinished) {
      if (r.status() == ActionStatus.RUNNING) {
        hold(r.action(), r.key(), true);
        Step step = stepFor(r.action());
        Running run = new Running(r, step);
        track(run);
        state.tx().journal(EntryKind.ACTION_RESUMED, subjectKind(r.action()), r.action().subject(), null, null, r.key(),
            r.action().cause(), r.action().verb() + " resumed after controller restart (attempt " + r.attempts() + ")").commit();
        attempt(run);
      }
    }
    for (ActionRecord r : unfinished) {
      if (r.status() == ActionStatus.QUEUED) {
        queue.add(r);
        hold(r.action(), r.key(), false);
      }
    }
    pump();
  }

  /**
   * True when an action on {@code subject} (a VM or host name) is queued or running, or one that
   * keeps it busy besides its own subject (a recovery from a failed host).
   */
  @Override
  public boolean isBusy(String subject) {
    return subjects.containsKey(subject) || alsoBusy.containsKey(subject);
  }

  /** The key of the action on {@code subject} that runs (or will run) first, if any. */
  public Optional<String> activeKey(String subject) {
    ArrayDeque<String> keys = subjects.get(subject);
    return keys == null ? Optional.empty() : Optional.ofNullable(keys.peekFirst());
  }

  /**
   * {@link #activeKey}, readable from any thread (the API's reads from the published state):
   * the key may be a moment behind or ahead of the loop's, never torn.
   */
  public Optional<String> publishedKey(String subject) {
    return Optional.ofNullable(firstKeys.get(subject));
  }

  /** Queued and running actions, running first. */
  public List<ActionRecord> active() {
    List<ActionRecord> out = new ArrayList<>();
    running.values().forEach(r -> out.add(r.record));
    out.addAll(queue);
    return out;
  }

  /** Actions submitted whose intent was already queued, running or done, so skipped (since start). */
  public long duplicatesSkipped() {
    return duplicates;
  }

  public int runningCount() {
    return running.size();
  }

  public int queuedCount() {
    return queue.size();
  }

  /** Actions running, as of the last change: readable from any thread. */
  public int publishedRunningCount() {
    return publishedRunning;
  }

  /** Actions queued, as of the last change: readable from any thread. */
  public int publishedQueuedCount() {
    return publishedQueued;
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Adds {@code a}'s QUEUED record and its journal entry to {@code tx}. */
  private ActionRecord record(ControllerState.Tx tx, Action a) {
    ActionRecord r = new ActionRecord(a, ActionStatus.QUEUED, 0, clock.now(), clock.now(), null);
    tx.put(r).journal(EntryKind.ACTION_QUEUED, subjectKind(a), a.subject(), null, null, a.key(), a.cause(), describe(a));
    return r;
  }

  /**
   * The ledger's semantics. A key queued, running or SUCCEEDED is that intent already handled:
   * null. A key whose last attempt was REJECTED or FAILED never blocks a fresh plan: it runs as
   * {@code key#n}, the first n not yet in the ledger, so every earlier outcome stays findable.
   */
  private @Nullable Action freshAttempt(Action a, Set<String> planned) {
    String key = a.key();
    for (int n = 1; ; n++) {
      if (activeKeys.contains(key) || planned.contains(key)) {
        return null;
      }
      Optional<ActionRecord> known = state.action(key);
      if (known.isEmpty()) {
        return key.equals(a.key()) ? a : a.withKey(key);
      }
      if (!known.get().allowsFreshPlan()) {
        return null;
      }
      key = a.key() + "#" + n;
    }
  }

  private void hold(Action a, String key, boolean first) {
    for (String also : a.alsoBusy()) {
      alsoBusy.merge(also, 1, Integer::sum);
    }
    String subject = a.subject();
    ArrayDeque<String> keys = subjects.computeIfAbsent(subject, s -> new ArrayDeque<>(2));
    if (first) {
      keys.addFirst(key);
    } else {
      keys.addLast(key);
    }
    activeKeys.add(key);
    firstKeys.put(subject, keys.peekFirst());
  }

  private void release(Action a, String key) {
    for (String also : a.alsoBusy()) {
      alsoBusy.computeIfPresent(also, (k, n) -> n > 1 ? n - 1 : null);
    }
    String subject = a.subject();
    ArrayDeque<String> keys = subjects.get(subject);
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        subjects.remove(subject);
        firstKeys.remove(subject);
      } else {
        firstKeys.put(subject, keys.peekFirst());
      }
    }
    activeKeys.remove(key);
  }

  /** Starts queued actions while limits allow, in queue order; one per subject at a time. */
  private void pump() {
    Iterator<ActionRecord> it = queue.iterator();
    List<ActionRecord> toStart = new ArrayList<>();
    // Once every global slot is taken nothing else can start: stop instead of walking the rest.
    while (it.hasNext() && running.size() < settings.maxConcurrent()) {
      ActionRecord r = it.next();
      if (!r.key().equals(activeKey(r.action().subject()).orElse(null))) {
        continue; // an earlier action on the same subject goes first
      }
      Step step = stepFor(r.action());
      if (!fits(step)) {
        continue;
      }
      it.remove();
      toStart.add(r);
      track(new Running(r, step));
    }
    for (ActionRecord r : toStart) {
      start(Objects.requireNonNull(running.get(r.key()), "put in running above"));
    }
    publishCounts();
  }

  /** The counts API threads read (GET /health), after every change of the queue or the running set. */
  private void publishCounts() {
    publishedRunning = running.size();
    publishedQueued = queue.size();
  }

  /**
   * Whether {@code step} may start now under the limits: O(hosts of the step), from counters kept
   * as actions start and finish (counting every running action for every queued one made a pump
   * over a long queue quadratic: 91 % of the loop in bench/scale).
   */
  private boolean fits(Step step) {
    int poolLimit = switch (step.pool()) {
      case VM -> settings.maxConcurrent();
      case MIGRATION -> settings.maxMigrations();
      case POWER -> settings.maxPowerActions();
    };
    if (runningPerPool[step.pool().ordinal()] >= poolLimit) {
      return false;
    }
    for (String h : step.hosts()) {
      if (runningPerHost.getOrDefault(h, 0) >= settings.maxPerHost()) {
        return false;
      }
      if (step.pool() == Step.Pool.MIGRATION && migrationsPerHost.getOrDefault(h, 0) >= settings.maxMigrationsPerHost()) {
        return false;
      }
    }
    return true;
  }

  private void track(Running run) {
    running.put(run.record.key(), run);
    count(run, 1);
  }

  private void untrack(Running run) {
    if (running.remove(run.record.key()) != null) {
      count(run, -1);
      publishCounts();
    }
  }

  private void count(Running run, int delta) {
    runningPerPool[run.step.pool().ordinal()] += delta;
    for (String h : run.countedHosts) {
      runningPerHost.merge(h, delta, (a, b) -> a + b == 0 ? null : a + b);
      if (run.step.pool() == Step.Pool.MIGRATION) {
        migrationsPerHost.merge(h, delta, (a, b) -> a + b == 0 ? null : a + b);
      }
    }
  }

  private void start(Running run) {
    Action a = run.record.action();
    String why;
    try {
      why = run.step.precheck(state);
    } catch (RuntimeException e) {
      why = "precheck failed: " + e.getMessage();
    }
    if (why != null) {
      finishRecord(run, ActionStatus.REJECTED, why, EntryKind.ACTION_REJECTED, null);
      count(a, "rejected");
      pump();
      return;
    }
    ActionRecord queued = run.record;
    run.record = run.record.with(ActionStatus.RUNNING, 1, clock.now(), null);
    ControllerState.Tx tx = state.tx();
    try {
      run.step.begin(tx, state);
    } catch (CorralException e) {
      // The start state is not a legal move from where the subject is now (e.g. stopping a VM that
      // is UNKNOWN): a stale plan like any other, rejected with the reason, nothing done.
      run.record = queued;
      finishRecord(run, ActionStatus.REJECTED, e.getMessage(), EntryKind.ACTION_REJECTED, null);
      count(a, "rejected");
      pump();
      return;
    }
    tx.put(run.record).journal(EntryKind.ACTION_STARTED, subjectKind(a), a.subject(), null, null, a.key(), a.cause(),
        describe(a)).commit();
    // Write-ahead: the hosts are touched only once the start state is in the store, so that a
    // restart finds every action that may have touched them (group commit: see ControllerState).
    int n = run.record.attempts();
    state.durable().whenComplete((v, e) -> {
      if (e == null) {
        attempt(run);
      } else {
        finish(run, n, e);
      }
    });
  }

  private void attempt(Running run) {
    int n = run.record.attempts();
    ExecContext ctx = new ExecContext(clock, state, connections, drivers, settings);
    Duration timeout = run.step.timeout(settings);
    java.util.concurrent.CompletionStage<Void> stage;
    try {
      stage = run.step.run(ctx);
    } catch (RuntimeException e) {
      stage = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    Stages.within(stage, timeout, clock, run.record.action().verb() + " " + run.record.action().subject())
        .whenComplete((v, e) -> clock.execute(() -> finish(run, n, e)));
  }

  private void finish(Running run, int attemptNo, @Nullable Throwable error) {
    if (run.done || run.record.attempts() != attemptNo) {
      return; // a late answer from an attempt that already timed out
    }
    Action a = run.record.action();
    if (error == null) {
      finishRecord(run, ActionStatus.SUCCEEDED, null, EntryKind.ACTION_SUCCEEDED, tx -> run.step.succeed(tx, state));
      count(a, "succeeded");
      pump();
      return;
    }
    DriverException d = classify(error);
    if (d.kind().retryable() && attemptNo < settings.maxAttempts()) {
      Duration delay = backoff(attemptNo);
      run.record = run.record.with(ActionStatus.RUNNING, attemptNo + 1, clock.now(), d.getMessage());
      state.tx().put(run.record).journal(EntryKind.ACTION_RETRYING, subjectKind(a), a.subject(), null, null, a.key(), a.cause(),
          a.verb() + " attempt " + attemptNo + " failed (" + d.getMessage() + "); retrying in " + Stages.human(delay)).commit();
      count(a, "retried");
      clock.schedule(delay, () -> {
        if (!run.done) {
          attempt(run);
        }
      });
      return;
    }
    finishRecord(run, ActionStatus.FAILED, d.getMessage(), EntryKind.ACTION_FAILED, tx -> run.step.fail(tx, state, d));
    count(a, "failed");
    pump();
  }

  /** Writes the final record, its journal entry and the step's state change in one batch. */
  private void finishRecord(Running run, ActionStatus status, @Nullable String error, EntryKind kind,
      java.util.function.@Nullable Consumer<ControllerState.Tx> stateChange) {
    run.done = true;
    Action a = run.record.action();
    run.record = run.record.with(status, Math.max(run.record.attempts(), 0), clock.now(), error);
    String msg = switch (status) {
      case SUCCEEDED -> describe(a) + ": done";
      case REJECTED -> describe(a) + ": rejected, " + error;
      default -> describe(a) + ": failed, " + error;
    };
    try {
      ControllerState.Tx tx = state.tx();
      if (stateChange != null) {
        stateChange.accept(tx);
      }
      tx.put(run.record).journal(kind, subjectKind(a), a.subject(), null, null, a.key(), a.cause(), msg).commit();
    } catch (CorralException e) {
      // The world moved while the action ran (e.g. the Monitor saw the VM stop): keep the
      // outcome, leave the state to the Monitor, and say so.
      state.tx().put(run.record).journal(kind, subjectKind(a), a.subject(), null, null, a.key(), a.cause(),
          msg + " (state left to the Monitor: " + e.getMessage() + ")").commit();
    } finally {
      untrack(run);
      release(a, run.record.key());
    }
    if (status == ActionStatus.FAILED) {
      LOG.warn("action {} failed: {}: {} (attempts {}; caused by {}: {})", a.key(), describe(a), run.record.error(),
          run.record.attempts(), a.cause().origin(), a.cause().reason());
    }
  }

  private static DriverException classify(Throwable error) {
    DriverException d = DriverException.of(error);
    Throwable root = d.getCause();
    if (d.kind() == DriverException.Kind.TRANSIENT && root != null && !(root instanceof DriverException)
        && (root instanceof CorralException || root instanceof IllegalStateException || root instanceof IllegalArgumentException)) {
      // Our own inconsistency (an image deleted under a VM, bad input): retrying cannot help.
      return new DriverException(DriverException.Kind.REJECTED, root.getMessage(), root);
    }
    return d;
  }

  private Duration backoff(int attemptNo) {
    long base = settings.backoffBase().toMillis() << Math.min(20, attemptNo - 1);
    long capped = Math.min(base, settings.backoffMax().toMillis());
    double factor = 0.8 + 0.4 * jitter.nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (capped * factor)));
  }

  private void count(Action a, String outcome) {
    if (meters != null) {
      meters.counter("corral_actions_total", "verb", a.verb(), "outcome", outcome).increment();
    }
  }

  private Step stepFor(Action a) {
    double oc = settings.cpuOvercommit();
    return switch (a) {
      case Action.DeployVm d -> new DeployStep(d, oc);
      case Action.RecoverVm r -> new RecoverStep(r, oc);
      case Action.StartVm s -> new StartStep(s);
      case Action.StopVm s -> new StopStep(s);
      case Action.RebootVm r -> new RebootStep(r);
      case Action.MigrateVm m -> new MigrateStep(m, oc);
      case Action.DeleteVm d -> new DeleteStep(d);
      case Action.PowerOnHost p -> new PowerOnStep(p);
      case Action.PowerOffHost p -> new PowerOffStep(p);
      case Action.FenceHost f -> new FenceStep(f);
      case Action.RestartService r -> new ServiceStep(r);
      case Action.SoftFenceHost f -> new SoftFenceStep(f);
    };
  }

  static SubjectKind subjectKind(Action a) {
    return switch (a) {
      case Action.DeployVm d -> SubjectKind.VM;
      case Action.RecoverVm r -> SubjectKind.VM;
      case Action.StartVm s -> SubjectKind.VM;
      case Action.StopVm s -> SubjectKind.VM;
      case Action.RebootVm r -> SubjectKind.VM;
      case Action.MigrateVm m -> SubjectKind.VM;
      case Action.DeleteVm d -> SubjectKind.VM;
      case Action.PowerOnHost p -> SubjectKind.HOST;
      case Action.PowerOffHost p -> SubjectKind.HOST;
      case Action.FenceHost f -> SubjectKind.HOST;
      case Action.RestartService r -> SubjectKind.VM;
      case Action.SoftFenceHost f -> SubjectKind.HOST;
    };
  }

  /** What the action does, in a few words; its cause is journaled beside it, not repeated here. */
  public static String describe(Action a) {
    return switch (a) {
      case Action.DeployVm d -> "deploy " + d.vm() + " on " + d.host();
      case Action.RecoverVm r -> "restart " + r.vm() + " from " + r.from() + " on " + r.to();
      case Action.StartVm s -> "start " + s.vm() + " on " + s.host();
      case Action.StopVm s -> (s.force() ? "destroy " : "stop ") + s.vm() + " on " + s.host();
      case Action.RebootVm r -> "reboot " + r.vm() + " on " + r.host();
      case Action.MigrateVm m -> "migrate " + m.vm() + " from " + m.from() + " to " + m.to();
      case Action.DeleteVm d -> "delete " + d.vm() + (d.host() != null ? " on " + d.host() : "");
      case Action.PowerOnHost p -> "power on " + p.host();
      case Action.PowerOffHost p -> "power off " + p.host();
      case Action.FenceHost f -> "fence " + f.host();
      case Action.RestartService r -> "restart service " + String.join(", then ", r.services()) + " in " + r.vm() + " on " + r.host();
      case Action.SoftFenceHost f -> "restart the hypervisor of " + f.host() + " (soft fencing)";
    };
  }

  private static final class Running {
    ActionRecord record;
    final Step step;
    /** The hosts counted against the per-host limits when it started (released with these). */
    final List<String> countedHosts;
    boolean done;

    Running(ActionRecord record, Step step) {
      this.record = record;
      this.step = step;
      this.countedHosts = List.copyOf(step.hosts());
    }
  }
}
