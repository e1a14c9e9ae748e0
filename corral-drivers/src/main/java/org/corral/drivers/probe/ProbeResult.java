package org.corral.drivers.probe;

import java.time.Duration;

/** The outcome of one probe: healthy or not, why, and how long it took. */
public record ProbeResult(boolean healthy, String detail, Duration latency) {
  public static ProbeResult healthy(String detail, Duration latency) {
    return new ProbeResult(true, detail, latency);
  }

  public static ProbeResult unhealthy(String detail, Duration latency) {
    return new ProbeResult(false, detail, latency);
  }
}
