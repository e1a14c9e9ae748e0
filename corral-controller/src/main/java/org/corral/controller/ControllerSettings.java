package org.corral.controller;

import java.time.Duration;
import org.corral.controller.executor.ExecutorSettings;
import org.corral.model.InvalidInputException;
import org.corral.policy.placement.SchedulerSettings;

/**
 * Controller settings (the `controller:` section of corral.yaml).
 *
 * @param seed               root seed for every random choice (journaled per cycle)
 * @param monitorPeriod      how often every host is read
 * @param schedulerPeriod    how often pending VMs are retried (new VMs wake it at once)
 * @param connectTimeout     limit on opening a hypervisor connection
 * @param guardian           the Guardian: liveness beats, crash restarts
 * @param utilisationWindow  samples averaged into a host's utilisation
 * @param optimizer          the energy optimizer (consolidation and host power)
 * @param journal            how long journal entries are kept
 */
public record ControllerSettings(long seed, Duration monitorPeriod, Duration schedulerPeriod, Duration connectTimeout,
    GuardianSettings guardian, int utilisationWindow, SchedulerSettings scheduler, ExecutorSettings executor, OptimizerSettings optimizer,
    JournalRetention journal) {

  public static final ControllerSettings DEFAULT = new ControllerSettings(42, Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(15), GuardianSettings.DEFAULT, 10, SchedulerSettings.DEFAULT, ExecutorSettings.DEFAULT, OptimizerSettings.DEFAULT,
      JournalRetention.DEFAULT);

  public ControllerSettings {
    requirePositive("controller.monitorPeriod", monitorPeriod);
    requirePositive("controller.schedulerPeriod", schedulerPeriod);
    requirePositive("controller.connectTimeout", connectTimeout);
    if (guardian == null) {
      guardian = GuardianSettings.DEFAULT;
    }
    if (utilisationWindow < 1) {
      throw new InvalidInputException("controller.utilisationWindow", "must be at least 1, got " + utilisationWindow, "10 samples is usual");
    }
    if (journal == null) {
      journal = JournalRetention.DEFAULT;
    }
    if (!scheduler.spares().containsAll(guardian.spares())) {
      // guardian.spares are the scheduler's spares too: it keeps ordinary VMs off them.
      java.util.Set<String> all = new java.util.TreeSet<>(scheduler.spares());
      all.addAll(guardian.spares());
      scheduler = scheduler.withSpares(all);
    }
    if (scheduler.cpuOvercommit() != executor.cpuOvercommit()) {
      executor = executor.withCpuOvercommit(scheduler.cpuOvercommit());
    }
  }

  private static void requirePositive(String field, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new InvalidInputException(field, "must be a positive duration", "write it like 5s or 1m");
    }
  }

  public ControllerSettings withPeriods(Duration monitor, Duration sched) {
    return new ControllerSettings(seed, monitor, sched, connectTimeout, guardian, utilisationWindow, scheduler, executor,
        optimizer, journal);
  }

  public ControllerSettings withJournal(JournalRetention j) {
    return new ControllerSettings(seed, monitorPeriod, schedulerPeriod, connectTimeout, guardian, utilisationWindow, scheduler,
        executor, optimizer, j);
  }

  public ControllerSettings withExecutor(ExecutorSettings e) {
    return new ControllerSettings(seed, monitorPeriod, schedulerPeriod, connectTimeout, guardian, utilisationWindow, scheduler, e,
        optimizer, journal);
  }

  public ControllerSettings withGuardian(GuardianSettings g) {
    return new ControllerSettings(seed, monitorPeriod, schedulerPeriod, connectTimeout, g, utilisationWindow, scheduler,
        executor, optimizer, journal);
  }

  /**
   * How often the Monitor checks liveness: the Guardian's beat, or the Monitor period when that
   * is shorter (every check is then a full read).
   */
  public Duration beat() {
    return guardian.beat().compareTo(monitorPeriod) < 0 ? guardian.beat() : monitorPeriod;
  }

  public ControllerSettings withOptimizer(OptimizerSettings o) {
    return new ControllerSettings(seed, monitorPeriod, schedulerPeriod, connectTimeout, guardian, utilisationWindow, scheduler,
        executor, o, journal);
  }

}
