package org.corral.drivers.probe;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Checks one target. Never fails the stage for an unhealthy target: the result says so. The
 * stage fails only for a malformed target.
 */
public interface Probe {
  /** URI schemes handled: {@code icmp}, {@code tcp}, {@code http}, {@code https}, {@code exec+ssh}. */
  Set<String> schemes();

  CompletionStage<ProbeResult> check(String targetUri, Duration timeout);
}
