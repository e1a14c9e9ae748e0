package org.corral.controller;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.corral.controller.auth.Accounts;
import org.corral.controller.auth.Passwords;
import org.corral.controller.auth.Tokens;
import org.corral.controller.command.Commands;
import org.corral.controller.connection.HostConnections;
import org.corral.controller.executor.Executor;
import org.corral.controller.energy.EnergyMeter;
import org.corral.controller.loop.Loop;
import org.corral.controller.loop.GuardianLoop;
import org.corral.controller.loop.Monitor;
import org.corral.controller.loop.OptimizerLoop;
import org.corral.policy.consolidation.Consolidation;
import org.corral.controller.loop.SchedulingLoop;
import org.corral.controller.state.ControllerState;
import org.corral.controller.store.Store;
import org.corral.controller.store.StoredState;
import org.corral.drivers.Drivers;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.controller.loop.PlanningLoop;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.Plan;
import org.corral.model.plan.RecordingPlanner;
import org.corral.model.snapshot.Samples;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Seeds;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.time.Clock;
import org.corral.policy.placement.Scheduler;

/**
 * Assembles one controller: state over a store, the executor, the loops, the user commands. All
 * of it runs on the clock's loop; {@link #call} is how other threads (the REST API) get in.
 *
 * <p>Start-up is recovery: load the state, resume the actions a previous run left unfinished
 * (see {@link Executor#resume}), then start the loops, whose first Monitor pass reconciles every
 * host against its hypervisor.
 */
public final class Controller implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Controller.class);
  private final ControllerSettings settings;
  private final Clock clock;
  private final ControllerState state;
  private final HostConnections connections;
  private final Executor executor;
  private final Monitor monitor;
  private final SchedulingLoop scheduling;
  private final OptimizerLoop optimizer;
  private final GuardianLoop guardian;
  private final org.corral.controller.loop.ServiceLoop services;
  private final org.corral.controller.loop.GuestHeartbeats heartbeats;
  private final org.corral.controller.notify.Notifier notifier;
  private final org.corral.controller.loop.ClusterReconciler clusters;
  private final EnergyMeter energy;
  private final Scheduler scheduler;
  private final Loop energyLoop;
  private final Loop retentionLoop;
  private long journalDeleted;
  private final Commands commands;
  private final Accounts accounts;
  private final Drivers drivers;
  private final long seed;
  /** Actions a previous run left QUEUED or RUNNING, resumed by {@link #start()}. */
  private final List<ActionRecord> unfinished;
  private boolean started;
  private final java.util.concurrent.@org.jspecify.annotations.Nullable ExecutorService storeWriter;
  private long recommendations;
  /** The last recommendation and the published state it was taken at: what API threads read. */
  private volatile @org.jspecify.annotations.Nullable Shown shown;
  /** A refresh of {@link #shown} asked of the loop and not yet run (many readers, one pass). */
  private final java.util.concurrent.atomic.AtomicReference<@org.jspecify.annotations.Nullable CompletableFuture<Recommendation>>
      refreshing = new java.util.concurrent.atomic.AtomicReference<>();

  private record Shown(Recommendation recommendation, ControllerState.Published of) {}

  public Controller(ControllerSettings settings, Clock clock, Store store, Drivers drivers, MeterRegistry meters) {
    this.settings = settings;
    this.clock = clock;
    this.drivers = drivers;
    // On real time the store's writes get a thread of their own: the database's cost leaves the
    // loop's core, and the loop fills the next batch while one is written (group commit).
    this.storeWriter = clock.realTime()
        ? java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().name("corral-store").daemon().factory())
        : null;
    this.state = new ControllerState(store, clock, Math.max(Samples.DEFAULT_CAPACITY, settings.utilisationWindow()),
        storeWriter != null ? storeWriter : Runnable::run);
    StoredState loaded = state.load();
    this.seed = Long.parseLong(loaded.meta().getOrDefault("seed", Long.toString(settings.seed())));
    this.connections = new HostConnections(drivers, clock, settings.connectTimeout());
    this.executor = new Executor(clock, state, connections, drivers, settings.executor(), seed, meters);
    // Liveness every beat (cheap), full reads every Monitor period.
    this.monitor = new Monitor(clock, settings.monitorPeriod(), settings.beat(), seed, state, connections, executor,
        new org.corral.policy.health.HostLiveness(settings.guardian().suspectAfter(), settings.guardian().downAfter()),
        settings.utilisationWindow());
    // One scheduler (its rules) for every decision that places VMs.
    this.scheduler = new Scheduler(settings.scheduler());
    this.scheduling = new SchedulingLoop(clock, settings.schedulerPeriod(), seed, state, executor, scheduler);
    this.optimizer = new OptimizerLoop(clock, seed, state, executor,
        new Consolidation(scheduler, settings.optimizer().consolidation(), settings.monitorPeriod()), settings.optimizer());
    // High availability: one Monitor period between decisions, and one before the first (a full
    // observation cycle after the start); woken at once when a host changes state.
    this.guardian = new GuardianLoop(clock, settings.monitorPeriod(), seed, state, executor,
        new org.corral.policy.recovery.Recovery(scheduler, settings.guardian().crashRestarts(), settings.guardian().heartbeat(),
            settings.executor().maxPerHost(), settings.guardian().softFencing(),
            // VMs leave a spare within the executor's migration limits: a few at a time, not a herd.
            settings.guardian().spareReturn() ? new org.corral.policy.recovery.Recovery.SpareReturn(true,
                settings.executor().maxMigrationsPerHost(), settings.executor().maxMigrations())
                : org.corral.policy.recovery.Recovery.SpareReturn.OFF), drivers, loaded.meta(), settings.monitorPeriod(),
        settings.connectTimeout(), this::agents);
    // Guest-agent heartbeats of HA VMs (off unless guardian.heartbeat is set): observed here, judged by the Guardian.
    this.heartbeats = new org.corral.controller.loop.GuestHeartbeats(clock, seed, state, drivers, settings.guardian().heartbeat(),
        guardian::wake);
    state.addListener(e -> {
      if (e.subjectKind() == SubjectKind.HOST && e.kind() == EntryKind.STATE_CHANGED) {
        guardian.wake();
      }
    });
    // Services checked inside VMs: every check interval, escalated through the same planner; the
    // VMs it stops to restart them are its own until they run again.
    this.services = new org.corral.controller.loop.ServiceLoop(clock, settings.monitorPeriod(), seed, state, executor,
        new org.corral.policy.service.ServiceHealing(settings.guardian().services().escalation(), scheduler),
        new org.corral.controller.guest.ServiceChecks(drivers, settings.guardian().services().timeout()), settings.guardian().services(),
        settings.monitorPeriod(), loaded.meta());
    guardian.holdWhile(services::holds);
    state.addListener(e -> {
      if (e.subjectKind() == SubjectKind.VM && e.kind() == EntryKind.STATE_CHANGED && e.actionKey() != null
          && e.actionKey().startsWith("service-")) {
        services.wake(); // the next step of a VM restart follows its stop or start at once
      }
      // A VM the Guardian restarted (after a crash, or elsewhere after its host failed) runs again:
      // the services of the VMs that depend on it restart after it.
      String key = e.actionKey();
      if (e.subjectKind() == SubjectKind.VM && e.kind() == EntryKind.STATE_CHANGED && "RUNNING".equals(e.to()) && key != null
          && (key.startsWith(org.corral.policy.recovery.Recovery.RESTART) || key.startsWith(org.corral.policy.recovery.Recovery.RESTART_ELSEWHERE)
              || key.startsWith(org.corral.policy.recovery.Recovery.RECOVER))) {
        state.vm(e.subject()).ifPresent(v -> services.restartedByGuardian(v.name(), String.valueOf(v.host()),
            e.cause() != null ? e.cause().reason() : key));
      }
    });
    // Fencing, recoveries, escalations and give-ups told to people, off the loop.
    this.notifier = new org.corral.controller.notify.Notifier(clock, settings.guardian().channels(), settings.guardian().retry());
    state.addListener(notifier::publish);
    this.energy = new EnergyMeter(state, clock, loaded.meta(), drivers, settings.monitorPeriod(), meters);
    this.energyLoop = Loop.every("energy", clock, settings.monitorPeriod(), seed, energy::tick);
    this.retentionLoop = Loop.every("journal-retention", clock, settings.journal().every(), seed, this::compactJournal);
    // Secrets (salts, tokens) come from the system's secure generator, never from the seed.
    java.security.SecureRandom secure = new java.security.SecureRandom();
    this.accounts = new Accounts(state, new Passwords(secure), new Tokens(secure), new org.corral.controller.auth.AccessKeys(secure));
    this.commands = new Commands(state, executor, connections, drivers, accounts, seed, settings.scheduler().cpuOvercommit(),
        scheduling::wake, h -> clock.execute(() -> monitor.poll(h, 0)), monitor::forget);
    this.clusters = new org.corral.controller.loop.ClusterReconciler(clock, settings.schedulerPeriod(), seed, state, executor, commands,
        drivers, loaded.meta());
    // A cluster's next step (a hook, the next role, the delete after a stop) follows its member's
    // state change at once rather than at the next period (docs/benchmarks.md "Virtual clusters").
    state.addListener(e -> {
      if (e.subjectKind() == SubjectKind.VM && e.kind() == EntryKind.STATE_CHANGED && (e.actionKey() != null
          && e.actionKey().startsWith("cluster/") // the cluster policy's own actions (a deleted member has no labels left)
          || state.vm(e.subject()).map(v -> v.spec().labels().containsKey(org.corral.model.cluster.ClusterSpec.CLUSTER_LABEL))
              .orElse(false))) {
        clusters.wake();
      }
    });
    this.unfinished = loaded.unfinished();
    if (!loaded.meta().containsKey("seed")) {
      state.tx().meta("seed", Long.toString(seed)).commit();
    }
  }

  /** Recovers and starts the loops. Call once, on the loop (or directly on a virtual clock). */
  public void start() {
    if (started) {
      return;
    }
    started = true;
    state.tx().journal(EntryKind.CONTROLLER_STARTED, SubjectKind.CONTROLLER, "controller", null, null, null,
        Cause.of(Origin.RECOVERY, 0, "start"), "controller started with " + state.hosts().size() + " hosts, "
            + state.vms().size() + " VMs, " + unfinished.size() + " unfinished actions").commit();
    executor.resume(unfinished);
    monitor.start();
    scheduling.start();
    optimizer.start();
    guardian.start();
    services.start();
    heartbeats.start();
    clusters.start();
    energyLoop.start();
    retentionLoop.start();
    publishRecommendation();
  }

  /** Entries per retention pass at most: a few bounded transactions, then the loop goes on. */
  private static final int RETENTION_BATCHES_PER_PASS = 5;

  /** One retention pass (on the loop): deletes journal entries beyond the settings' age and count. */
  public long compactJournal() {
    JournalRetention r = settings.journal();
    long deleted = 0;
    for (int i = 0; i < RETENTION_BATCHES_PER_PASS; i++) {
      long n = state.store().compactJournal(clock.now().minus(r.maxAge()), r.maxEntries(), JournalRetention.BATCH);
      deleted += n;
      if (n < JournalRetention.BATCH) {
        break;
      }
    }
    if (deleted > 0) {
      journalDeleted += deleted;
      LOG.info("journal retention: deleted {} entries older than {} or beyond the newest {}", deleted, r.maxAge(), r.maxEntries());
    }
    return deleted;
  }

  /** Journal entries deleted by retention since start. */
  public long journalDeleted() {
    return journalDeleted;
  }

  /**
   * Recommend mode: what every deciding loop would do now, from one snapshot, applying nothing.
   * Each loop runs its real decision against a {@link RecordingPlanner} that sees the executor's
   * busy subjects and what earlier loops of this pass planned. Call on the loop.
   */
  public Recommendation recommend() {
    Snapshot snap = state.snapshot(0, Seeds.derive(seed, "recommend", recommendations++));
    RecordingPlanner recorder = new RecordingPlanner(executor::isBusy);
    for (PlanningLoop loop : List.<PlanningLoop>of(scheduling, optimizer, guardian, services, clusters)) {
      recorder.submit(loop.plan(snap, recorder));
    }
    return new Recommendation(snap.now(), recorder.plans());
  }

  /** Recommends (on the loop) and publishes the result for {@link #shownPlan}. */
  private Recommendation publishRecommendation() {
    ControllerState.Published of = state.published();
    Recommendation r = recommend();
    shown = new Shown(r, of);
    return r;
  }

  /**
   * What {@code GET /plan} shows, from any thread without holding the loop: the published
   * recommendation when nothing was written since it was taken and it is less than a monitor
   * period old; otherwise a fresh one asked of the loop (one pass for any number of readers),
   * waited for at most {@code wait}, after which the last one is shown as it is, not current.
   *
   * @return the recommendation and whether it is current, or empty before the first one (the
   *         controller not started, or its loop busy ever since)
   */
  public java.util.Optional<ShownPlan> shownPlan(Duration wait) {
    Shown s = shown;
    if (s != null && s.of() == state.published()
        && !clock.now().isAfter(s.recommendation().at().plus(settings.monitorPeriod()))) {
      return java.util.Optional.of(new ShownPlan(s.recommendation(), true));
    }
    CompletableFuture<Recommendation> f = refreshRecommendation();
    try {
      return java.util.Optional.of(new ShownPlan(f.get(wait.toMillis(), TimeUnit.MILLISECONDS), true));
    } catch (TimeoutException e) {
      Shown last = shown;
      return last == null ? java.util.Optional.empty() : java.util.Optional.of(new ShownPlan(last.recommendation(), false));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** A recommendation as shown, and whether it is what Corral would do now ({@code false}: the loop was busy). */
  public record ShownPlan(Recommendation recommendation, boolean current) {}

  private CompletableFuture<Recommendation> refreshRecommendation() {
    CompletableFuture<Recommendation> mine = new CompletableFuture<>();
    CompletableFuture<Recommendation> pending = refreshing.compareAndExchange(null, mine);
    if (pending != null) {
      return pending;
    }
    clock.execute(() -> {
      refreshing.set(null);
      try {
        mine.complete(publishRecommendation());
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
      }
    });
    return mine;
  }

  /**
   * The plans of one recommend pass, one per deciding loop, taken at {@code at}. {@link #id} names
   * exactly these actions: a digest of their keys, which carry the versions of the VMs and hosts
   * they touch, so any change that alters the plan changes the id.
   */
  public record Recommendation(java.time.Instant at, List<Plan> plans) {
    public String id() {
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      for (Plan p : plans) {
        for (var a : p.actions()) {
          crc.update((a.key() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return String.format("%08x", crc.getValue());
    }
  }

  /**
   * Applies the plan {@code id} named (from {@link #recommend}), if it is still what Corral would
   * do: its actions go to the executor as they were shown. Call on the loop.
   *
   * @return the keys taken
   * @throws org.corral.model.ConflictException when the plan has changed since (nothing applied)
   */
  public List<String> applyPlan(String id, String who) {
    Recommendation now = recommend();
    if (!now.id().equals(id)) {
      throw new org.corral.model.ConflictException("plan " + id + " is no longer what Corral would do (the current plan is "
          + now.id() + "); look at it again with `corral plan`");
    }
    List<String> taken = new java.util.ArrayList<>();
    for (Plan p : now.plans()) {
      taken.addAll(executor.submit(p));
    }
    state.tx().journal(EntryKind.UPDATED, SubjectKind.CONTROLLER, "plan", null, null, null,
        Cause.user(who, "apply plan " + id), taken.size() + " actions taken from plan " + id).commit();
    return taken;
  }

  /** Stops the loops (actions in flight are left as they are: they resume at the next start). */
  public void stop() {
    monitor.stop();
    scheduling.stop();
    optimizer.stop();
    guardian.stop();
    services.stop();
    heartbeats.stop();
    clusters.stop();
    energyLoop.stop();
    retentionLoop.stop();
    try {
      energy.persist();
    } catch (RuntimeException e) {
      // At JVM shutdown the embedded database may close first: at most the last minute of energy
      // counting is lost, which is no reason to fail the shutdown.
      LOG.warn("energy counters of the last minute not saved: {}", e.getMessage());
    }
    try {
      state.flushNow(); // what the loop committed last is written before the store closes
    } catch (RuntimeException e) {
      LOG.warn("the last changes were not written: {}", e.getMessage());
    }
    if (storeWriter != null) {
      storeWriter.shutdown();
    }
    connections.close();
    notifier.close();
  }

  /** Where the Guardian's notifications go out. */
  public org.corral.controller.notify.Notifier notifier() {
    return notifier;
  }

  @Override
  public void close() {
    stop();
  }

  public ControllerState state() {
    return state;
  }

  public Executor executor() {
    return executor;
  }

  /** Users, groups, tokens and quotas. */
  public Accounts accounts() {
    return accounts;
  }

  public Commands commands() {
    return commands;
  }

  public Monitor monitor() {
    return monitor;
  }

  public SchedulingLoop scheduling() {
    return scheduling;
  }

  public OptimizerLoop optimizer() {
    return optimizer;
  }

  /** Virtual clusters (docs/virtual-clusters.md); its requests are made on the loop. */
  public org.corral.controller.loop.ClusterReconciler clusters() {
    return clusters;
  }

  /** What the guest-agent heartbeats observed, by VM name (for the Guardian's snapshots, and tests). Call on the loop. */
  public java.util.Map<String, org.corral.model.snapshot.AgentObservation> agents() {
    return heartbeats.observed();
  }

  public GuardianLoop guardian() {
    return guardian;
  }

  /** The service checks inside VMs and their escalation. */
  public org.corral.controller.loop.ServiceLoop services() {
    return services;
  }

  /**
   * Replaces the optimizer's settings at run time (until the next start, which reads corral.yaml
   * again), journaled with who changed them. Call on the loop.
   */
  public OptimizerSettings updateOptimizer(OptimizerSettings s, String who) {
    optimizer.update(s, new Consolidation(scheduler, s.consolidation(), settings.monitorPeriod()));
    state.tx().journal(EntryKind.UPDATED, SubjectKind.CONTROLLER, "optimizer", null, null, null,
        Cause.user(who, "change the optimizer's settings"), "optimizer: " + s.automation().name().toLowerCase()
            + " every " + s.period() + ", " + s.consolidation().detector().name() + " + " + s.consolidation().selector().name()
            + ", lower " + s.consolidation().lower() + ", upper " + s.consolidation().upper() + ", "
            + s.groups().size() + " group(s)").commit();
    return s;
  }

  /**
   * Sets the automation level of the host group of exactly {@code labels} (added last when there
   * is none), or with no labels the default level (hosts in no group); the rest of the optimizer's
   * settings, and what it remembers, stay. Journaled with who and the level before. Call on the loop.
   */
  public OptimizerSettings setOptimizerLevel(java.util.Map<String, String> labels, OptimizerSettings.Automation level, String who) {
    OptimizerSettings now = optimizer.settings();
    String was = labels.isEmpty() ? level(now.automation())
        : now.group(labels).map(g -> level(g.automation())).orElse("no group, " + level(now.automation()) + " by default");
    OptimizerSettings s = labels.isEmpty() ? now.withAutomation(level) : now.withGroup(labels, level);
    return changeLevels(s, who, hostsOf(labels) + " at " + level(level) + " (was " + was + ")");
  }

  /** Removes the host group of exactly {@code labels}: its hosts take the default level (or a later matching group's). Call on the loop. */
  public OptimizerSettings removeOptimizerGroup(java.util.Map<String, String> labels, String who) {
    OptimizerSettings now = optimizer.settings();
    OptimizerSettings s = now.withoutGroup(labels);
    return changeLevels(s, who, hostsOf(labels) + ": group removed, default " + level(now.automation()));
  }

  private OptimizerSettings changeLevels(OptimizerSettings s, String who, String what) {
    optimizer.updateLevels(s);
    state.tx().journal(EntryKind.UPDATED, SubjectKind.CONTROLLER, "optimizer", null, null, null,
        Cause.user(who, "change the optimizer's automation"), "optimizer: " + what).commit();
    return s;
  }

  private static String hostsOf(java.util.Map<String, String> labels) {
    return labels.isEmpty() ? "hosts in no group" : "hosts with " + org.corral.model.Labels.text(labels);
  }

  private static String level(OptimizerSettings.Automation a) {
    return a.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Energy counters per host and in total, with the everything-on baseline: {@code report()} on
   * the loop; {@code published()} and {@code today()} from any thread.
   */
  public EnergyMeter energy() {
    return energy;
  }

  public HostConnections connections() {
    return connections;
  }

  public Drivers drivers() {
    return drivers;
  }

  public Clock clock() {
    return clock;
  }

  public ControllerSettings settings() {
    return settings;
  }

  /**
   * Runs {@code work} on the controller's loop and waits for its result (API threads), and for
   * what it committed to be in the store: an answer is never taken back by a crash. Directly when
   * already on the loop. Exceptions thrown by {@code work} are rethrown as they are.
   */
  public <T> T call(Supplier<T> work) {
    if (clock.inLoop()) {
      T v = work.get();
      state.flushNow();
      return v;
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    clock.execute(() -> {
      try {
        whenDurable(work.get(), f);
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return await(f, Duration.ofSeconds(30));
  }

  /** Like {@link #call} for work that completes later (e.g. adding a host asks its hypervisor). */
  public <T> T callAsync(Supplier<CompletionStage<T>> work, Duration timeout) {
    CompletableFuture<T> f = new CompletableFuture<>();
    clock.execute(() -> {
      try {
        work.get().whenComplete((v, e) -> {
          if (e != null) {
            f.completeExceptionally(e);
          } else {
            // Completed on the loop or a driver's thread: the barrier is the loop's to read.
            clock.execute(() -> whenDurable(v, f));
          }
        });
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return await(f, timeout);
  }

  /** Completes {@code f} with {@code v} once the loop's commits so far are durable (on the loop). */
  private <T> void whenDurable(T v, CompletableFuture<T> f) {
    state.durable().whenComplete((x, e) -> {
      if (e != null) {
        f.completeExceptionally(e);
      } else {
        f.complete(v);
      }
    });
  }

  private static <T> T await(CompletableFuture<T> f, Duration timeout) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
        c = c.getCause();
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(c);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the controller did not answer within " + timeout.toSeconds() + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
