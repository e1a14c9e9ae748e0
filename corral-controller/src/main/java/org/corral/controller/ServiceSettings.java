package org.corral.controller;

import java.time.Duration;
import org.corral.model.InvalidInputException;
import org.corral.policy.service.ServiceEscalation;

/**
 * How the services checked inside VMs are watched (the {@code guardian.services:} section of
 * corral.yaml; docs/high-availability.md, "Service checks").
 *
 * @param escalation    failed checks per step, and the flapping rule
 * @param checkInterval how often each service is checked; a VM's services are first checked one
 *                      interval after it started running
 * @param timeout       how long one check may take before it counts as UNKNOWN (failed)
 */
public record ServiceSettings(ServiceEscalation escalation, Duration checkInterval, Duration timeout) {
  /** Three failed checks per step, five restarts within a minute pause ten minutes; checked every 10 s, 10 s each at most. */
  public static final ServiceSettings DEFAULT = new ServiceSettings(ServiceEscalation.DEFAULT, Duration.ofSeconds(10),
      Duration.ofSeconds(10));

  /**
   * The settings checked with errors naming their fields under {@code guardian.services}; nothing
   * is built from a bad value.
   */
  public static ServiceSettings of(int failuresPerStep, int flapRestarts, Duration within, Duration pause, Duration checkInterval,
      Duration timeout) {
    if (failuresPerStep < 1) {
      throw new InvalidInputException("guardian.services.failuresPerStep", "must be at least 1, got " + failuresPerStep,
          "3 is the default: three failed checks in a row before each step");
    }
    if (flapRestarts < 2) {
      throw new InvalidInputException("guardian.services.flapping.restarts", "must be at least 2, got " + flapRestarts,
          "5 is the default");
    }
    if (within.isNegative() || within.isZero()) {
      throw new InvalidInputException("guardian.services.flapping.within", "must be a positive duration", "1m is the default");
    }
    if (pause.isNegative()) {
      throw new InvalidInputException("guardian.services.flapping.pause", "must not be negative", "10m is the default");
    }
    if (checkInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new InvalidInputException("guardian.services.checkInterval", "must be at least 1s, got " + checkInterval,
          "10s is the default");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidInputException("guardian.services.timeout", "must be a positive duration", "10s is the default");
    }
    return new ServiceSettings(new ServiceEscalation(failuresPerStep, flapRestarts, within, pause), checkInterval, timeout);
  }
}
