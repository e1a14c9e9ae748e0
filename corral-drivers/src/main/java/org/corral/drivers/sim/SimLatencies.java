package org.corral.drivers.sim;

import java.time.Duration;
import org.corral.model.InvalidInputException;

/**
 * How long simulated operations take.
 *
 * @param define                defining a domain (instantaneous in practice; kept for symmetry)
 * @param boot                  a domain's start: from the request until its OS is up and it is RUNNING
 * @param shutdown              an ACPI shutdown until the domain is SHUTOFF
 * @param migrationBase         fixed cost of a live migration (setup, final switch-over)
 * @param migrationMibPerSecond copy rate for the domain's memory; {@code Double.POSITIVE_INFINITY}
 *                              makes the copy free
 * @param powerOn               from the BMC command until the host's hypervisor answers
 * @param powerOff              a graceful power-off until the host is off
 */
public record SimLatencies(Duration define, Duration boot, Duration shutdown, Duration migrationBase,
    double migrationMibPerSecond, Duration powerOn, Duration powerOff) {

  /** Typical figures for a small lab: a 4 GiB domain migrates in about 6 s. */
  public static final SimLatencies DEFAULT = new SimLatencies(Duration.ofSeconds(1), Duration.ofSeconds(20),
      Duration.ofSeconds(10), Duration.ofSeconds(2), 1000, Duration.ofSeconds(60), Duration.ofSeconds(35));

  /** Everything immediate: operations complete before the call returns (unit tests). */
  public static final SimLatencies INSTANT = new SimLatencies(Duration.ZERO, Duration.ZERO, Duration.ZERO,
      Duration.ZERO, Double.POSITIVE_INFINITY, Duration.ZERO, Duration.ZERO);

  public SimLatencies {
    nonNegative("latencies.define", define);
    nonNegative("latencies.boot", boot);
    nonNegative("latencies.shutdown", shutdown);
    nonNegative("latencies.migrationBase", migrationBase);
    nonNegative("latencies.powerOn", powerOn);
    nonNegative("latencies.powerOff", powerOff);
    if (!(migrationMibPerSecond > 0)) {
      throw new InvalidInputException("latencies.migrationMibPerSecond", "must be positive, got " + migrationMibPerSecond,
          "give the copy rate in MiB/s, e.g. 1000, or Infinity for free copies");
    }
  }

  /** Time to live-migrate {@code memoryMib}, at most {@code bandwidthMibPerSec} when that is positive. */
  public Duration migration(long memoryMib, long bandwidthMibPerSec) {
    double rate = bandwidthMibPerSec > 0 ? Math.min(migrationMibPerSecond, bandwidthMibPerSec) : migrationMibPerSecond;
    return migrationBase.plusNanos(Math.round(memoryMib / rate * 1e9));
  }

  private static void nonNegative(String field, Duration d) {
    if (d == null) {
      throw new InvalidInputException(field, "is missing", "give a duration such as PT10S (or Duration.ZERO)");
    }
    if (d.isNegative()) {
      throw new InvalidInputException(field, "must not be negative, got " + d, "give a duration ≥ 0");
    }
  }
}
