package org.corral.drivers.power.ipmi;

import java.time.Duration;
import org.corral.model.InvalidInputException;

/**
 * How the IPMI driver runs ipmitool.
 *
 * @param program       ipmitool's path or name (found on PATH)
 * @param perTrySeconds ipmitool's per-attempt timeout ({@code -N}), seconds
 * @param retries       ipmitool's own retries ({@code -R}), at least 1
 * @param hardTimeout   the process is killed after this, whatever ipmitool is doing; it must
 *                      exceed perTrySeconds × (retries + 1) plus session set-up
 */
record IpmiSettings(String program, int perTrySeconds, int retries, Duration hardTimeout) {
  public IpmiSettings {
    // ipmitool 1.8.19 treats -R 0 as "its own default" (a 20 s wait on a silent BMC), so at least 1.
    if (perTrySeconds < 1 || retries < 1) {
      throw new InvalidInputException("power.ipmi", "perTrySeconds and retries must be at least 1",
          "use e.g. perTrySeconds 2, retries 3");
    }
    if (hardTimeout.toSeconds() <= (long) perTrySeconds * (retries + 1)) {
      throw new InvalidInputException("power.ipmi.hardTimeout", hardTimeout + " leaves ipmitool no time to retry",
          "make it longer than perTrySeconds × (retries + 1)");
    }
  }

  /** ipmitool on PATH, 2 s per attempt, 3 retries, killed after 30 s. */
  public static IpmiSettings defaults() {
    return new IpmiSettings("ipmitool", 2, 3, Duration.ofSeconds(30));
  }
}
