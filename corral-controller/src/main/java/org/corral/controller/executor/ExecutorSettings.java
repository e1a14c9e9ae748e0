package org.corral.controller.executor;

import java.time.Duration;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.model.InvalidInputException;

/**
 * Limits and timings of the executor.
 *
 * @param maxConcurrent         actions running at once in total
 * @param maxPerHost            actions touching one host at once
 * @param maxMigrations         live migrations at once in total
 * @param maxMigrationsPerHost  live migrations touching one host (as source or destination)
 * @param maxPowerActions       power-on/off/fence actions at once
 * @param actionTimeout         one attempt of a VM action (define+start, stop, delete)
 * @param maxAttempts           attempts before an action fails (transient errors only are retried)
 * @param backoffBase           first retry delay, doubled each attempt, with ±20 % seeded jitter
 * @param backoffMax            cap on the retry delay
 * @param shutdownTimeout       ACPI shutdown grace before the domain is destroyed
 * @param powerOnTimeout        how long a host may take to answer after power-on
 * @param powerOffTimeout       how long a host may take to stop answering after power-off
 * @param powerPollInterval     how often a powering host is polled
 * @param cpuOvercommit         the ratio the executor re-checks placements against
 */
public record ExecutorSettings(
    int maxConcurrent,
    int maxPerHost,
    int maxMigrations,
    int maxMigrationsPerHost,
    int maxPowerActions,
    Duration actionTimeout,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    Duration shutdownTimeout,
    Duration powerOnTimeout,
    Duration powerOffTimeout,
    Duration powerPollInterval,
    double cpuOvercommit,
    MigrationOptions migration) {

  public static final ExecutorSettings DEFAULT = new ExecutorSettings(64, 4, 8, 2, 4,
      Duration.ofMinutes(5), 3, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMinutes(2),
      Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofSeconds(5), 1.0, MigrationOptions.DEFAULT);

  public ExecutorSettings {
    positive("executor.maxConcurrent", maxConcurrent);
    positive("executor.maxPerHost", maxPerHost);
    positive("executor.maxMigrations", maxMigrations);
    positive("executor.maxMigrationsPerHost", maxMigrationsPerHost);
    positive("executor.maxPowerActions", maxPowerActions);
    positive("executor.maxAttempts", maxAttempts);
    for (var e : new Object[][] {{"executor.actionTimeout", actionTimeout}, {"executor.backoffBase", backoffBase},
        {"executor.backoffMax", backoffMax}, {"executor.shutdownTimeout", shutdownTimeout},
        {"executor.powerOnTimeout", powerOnTimeout}, {"executor.powerOffTimeout", powerOffTimeout},
        {"executor.powerPollInterval", powerPollInterval}}) {
      Duration d = (Duration) e[1];
      if (d == null || d.isNegative() || d.isZero()) {
        throw new InvalidInputException((String) e[0], "must be a positive duration", "write it like 30s or 5m");
      }
    }
    if (!(cpuOvercommit > 0 && cpuOvercommit <= 64)) {
      throw new InvalidInputException("scheduler.cpuOvercommit", "must be in (0, 64], got " + cpuOvercommit, "1.0 means no overcommit");
    }
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new InvalidInputException(field, "must be at least 1, got " + v, "give a positive whole number");
    }
  }

  public ExecutorSettings withCpuOvercommit(double r) {
    return new ExecutorSettings(maxConcurrent, maxPerHost, maxMigrations, maxMigrationsPerHost, maxPowerActions,
        actionTimeout, maxAttempts, backoffBase, backoffMax, shutdownTimeout, powerOnTimeout, powerOffTimeout,
        powerPollInterval, r, migration);
  }
}
