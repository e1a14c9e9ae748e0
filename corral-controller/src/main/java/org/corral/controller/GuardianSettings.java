package org.corral.controller;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.corral.controller.notify.Channel;
import org.corral.controller.notify.Notifier;
import org.corral.model.InvalidInputException;
import org.corral.policy.recovery.CrashRestarts;
import org.corral.policy.recovery.GuestHeartbeat;
import org.corral.policy.recovery.Recovery;

/**
 * The Guardian's settings (the {@code guardian:} section of corral.yaml).
 *
 * @param beat          how often the Monitor checks that each host's hypervisor answers (a cheap
 *                      read; the full read of domains and counters stays at
 *                      {@code controller.monitorPeriod})
 * @param suspectAfter  beats in a row with no answer before an UP host is SUSPECT
 * @param downAfter     beats in a row with no answer before a host is DOWN (then fenced)
 * @param crashRestarts how a VM that stops on its own is restarted, and when it is given up
 * @param channels      where fencing, recoveries, escalations and give-ups are sent (none by default)
 * @param retry         how failed notifications are retried
 * @param services      how the services checked inside VMs are watched and escalated
 * @param softFencing   how long soft fencing (restarting a DOWN host's hypervisor, for hosts with
 *                      {@code power.soft}) may take before the host is fenced
 * @param spares        reserved spare hosts by name (beside those labelled {@code corral.spare=true}):
 *                      they take no ordinary VM, and a failed host's VMs restart there first
 * @param heartbeat     guest-agent heartbeats of HA VMs ({@link GuestHeartbeat#OFF} by default)
 * @param spareReturn   whether the VMs a recovery put on a spare live-migrate off it once nothing
 *                      fails ({@code guardian.spareReturn}, true by default), so that the spare is
 *                      empty for the next failure
 */
public record GuardianSettings(Duration beat, int suspectAfter, int downAfter, CrashRestarts crashRestarts,
    List<Channel> channels, Notifier.Retry retry, ServiceSettings services, Recovery.SoftFencing softFencing,
    Set<String> spares, GuestHeartbeat heartbeat, boolean spareReturn) {
  /** The beats: 1 s, SUSPECT after 3 missed, DOWN after 5; three crash restarts in ten minutes. */
  public static final GuardianSettings DEFAULT = new GuardianSettings(Duration.ofSeconds(1), 3, 5, CrashRestarts.DEFAULT, List.of(),
      Notifier.Retry.DEFAULT);

  /** The Perugia study's timings: a 1 s loop, a node silent for 5 s is suspect, failed after 10. */
  public static final GuardianSettings PERUGIA = new GuardianSettings(Duration.ofSeconds(1), 5, 10, CrashRestarts.DEFAULT, List.of(),
      Notifier.Retry.DEFAULT);

  /** With the default service settings and soft fencing times, no spare host by name, no heartbeats. */
  public GuardianSettings(Duration beat, int suspectAfter, int downAfter, CrashRestarts crashRestarts, List<Channel> channels,
      Notifier.Retry retry) {
    this(beat, suspectAfter, downAfter, crashRestarts, channels, retry, ServiceSettings.DEFAULT, Recovery.SoftFencing.DEFAULT,
        Set.of(), GuestHeartbeat.OFF, true);
  }

  /** With no spare host by name and no heartbeats. */
  public GuardianSettings(Duration beat, int suspectAfter, int downAfter, CrashRestarts crashRestarts, List<Channel> channels,
      Notifier.Retry retry, ServiceSettings services, Recovery.SoftFencing softFencing) {
    this(beat, suspectAfter, downAfter, crashRestarts, channels, retry, services, softFencing, Set.of(), GuestHeartbeat.OFF, true);
  }

  public GuardianSettings {
    channels = List.copyOf(channels);
    if (services == null) {
      services = ServiceSettings.DEFAULT;
    }
    for (var e : new Object[][] {{"guardian.softFencing.timeout", softFencing.timeout()}, {"guardian.softFencing.grace", softFencing.grace()}}) {
      Duration d = (Duration) e[1];
      if (d.isNegative() || d.isZero()) {
        throw new InvalidInputException((String) e[0], "must be a positive duration", "10s is the default");
      }
    }
    spares = Set.copyOf(spares);
    if (retry.attempts() < 1) {
      throw new InvalidInputException("guardian.notify.attempts", "must be at least 1, got " + retry.attempts(), "5 is the default");
    }
    if (retry.backoff().isNegative()) {
      throw new InvalidInputException("guardian.notify.backoff", "must not be negative", "2s is the default");
    }
    if (retry.queue() < 1) {
      throw new InvalidInputException("guardian.notify.queue", "must be at least 1, got " + retry.queue(), "1000 is the default");
    }
    if (beat == null || beat.isNegative() || beat.isZero()) {
      throw new InvalidInputException("guardian.beat", "must be a positive duration", "write it like 1s or 500ms");
    }
    if (suspectAfter < 1) {
      throw new InvalidInputException("guardian.suspectAfter", "must be at least 1, got " + suspectAfter, "3 is the default");
    }
    if (downAfter < suspectAfter) {
      throw new InvalidInputException("guardian.downAfter", "must be at least guardian.suspectAfter (" + suspectAfter + "), got "
          + downAfter, "5 is the default");
    }
  }

  /** The crash-restart settings checked with errors naming their fields under {@code guardian.crashRestarts}. */
  public static CrashRestarts crashRestarts(int max, Duration window, Duration backoff) {
    if (max < 1) {
      throw new InvalidInputException("guardian.crashRestarts.max", "must be at least 1, got " + max, "3 is the default");
    }
    if (window.isNegative() || window.isZero()) {
      throw new InvalidInputException("guardian.crashRestarts.window", "must be a positive duration", "10m is the default");
    }
    if (backoff.isNegative()) {
      throw new InvalidInputException("guardian.crashRestarts.backoff", "must not be negative", "10s is the default");
    }
    return new CrashRestarts(max, window, backoff);
  }

  public GuardianSettings withBeats(Duration b, int suspect, int down) {
    return new GuardianSettings(b, suspect, down, crashRestarts, channels, retry, services, softFencing, spares, heartbeat, spareReturn);
  }

  public GuardianSettings withServices(ServiceSettings s) {
    return new GuardianSettings(beat, suspectAfter, downAfter, crashRestarts, channels, retry, s, softFencing, spares, heartbeat, spareReturn);
  }

  /** The same settings with {@code names} as the spare hosts ({@code guardian.spares}). */
  public GuardianSettings withSpares(Set<String> names) {
    return new GuardianSettings(beat, suspectAfter, downAfter, crashRestarts, channels, retry, services, softFencing, names, heartbeat, spareReturn);
  }

  /** The same settings with guest-agent heartbeats {@code h} ({@code guardian.heartbeat}). */
  public GuardianSettings withHeartbeat(GuestHeartbeat h) {
    return new GuardianSettings(beat, suspectAfter, downAfter, crashRestarts, channels, retry, services, softFencing, spares, h, spareReturn);
  }

  /** The same settings with the return of VMs off spares {@code on} or off ({@code guardian.spareReturn}). */
  public GuardianSettings withSpareReturn(boolean on) {
    return new GuardianSettings(beat, suspectAfter, downAfter, crashRestarts, channels, retry, services, softFencing, spares, heartbeat, on);
  }

  /** Heartbeat settings checked with errors naming their fields under {@code guardian.heartbeat}. */
  public static GuestHeartbeat heartbeat(Duration interval, int missed) {
    if (interval.isNegative() || interval.isZero()) {
      throw new InvalidInputException("guardian.heartbeat.interval", "must be a positive duration",
          "write it like 10s, or leave guardian.heartbeat out to turn heartbeats off");
    }
    if (missed < 1) {
      throw new InvalidInputException("guardian.heartbeat.missed", "must be at least 1, got " + missed, "3 is the default");
    }
    return new GuestHeartbeat(interval, missed);
  }
}
