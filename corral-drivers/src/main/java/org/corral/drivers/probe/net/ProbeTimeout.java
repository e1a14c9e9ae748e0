package org.corral.drivers.probe.net;

import java.time.Duration;
import org.corral.model.InvalidInputException;

/** Shared checks and wording for probe timeouts. */
public final class ProbeTimeout {
  private ProbeTimeout() {}

  /** The timeout in whole milliseconds (at least 1: a zero socket timeout would mean "wait forever"). */
  public static int millis(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new InvalidInputException("probe.timeout", "timeout " + timeout + " is not a positive duration",
          "use e.g. 2s");
    }
    return (int) Math.max(1, timeout.toMillis());
  }

  /** "timed out after 2s" / "timed out after 1500ms". */
  public static String timedOut(Duration timeout) {
    return "timed out after " + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms");
  }

  /** Elapsed real time since {@code startNanos} (from System.nanoTime: probes measure real latency). */
  public static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
