package org.corral.model.cluster;

import java.time.Duration;
import java.util.List;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A command run in members' guests (through a guest-exec transport: sim, ssh, qemu-ga) when
 * {@code event} happens. Each argument is a template ({@link Templates}); no shell is involved.
 *
 * @param runOn   for onMemberJoin/onMemberLeave the role whose members run it (e.g. the TORQUE
 *                head); for the other events null (the member itself) or a role to run it on
 * @param retries further attempts after a failure, waiting {@code backoff}, doubled each time
 */
public record Hook(HookEvent event, @Nullable String runOn, List<String> command, Duration timeout, int retries, Duration backoff) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);
  public static final int MAX_RETRIES = 10;

  public Hook {
    command = command == null ? List.of() : List.copyOf(command);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    backoff = backoff == null ? DEFAULT_BACKOFF : backoff;
  }

  /** The hook's n-th retry waits this long (n from 1). */
  public Duration backoff(int n) {
    return backoff.multipliedBy(1L << Math.min(n - 1, 20));
  }

  void validate(String field, ClusterSpec spec, String role) {
    if (command.isEmpty()) {
      throw new InvalidInputException(field + ".command", "is missing", "give the program and its arguments as a list, e.g. command: [systemctl, reload, nginx]");
    }
    if (event.runsElsewhere() && runOn == null) {
      throw new InvalidInputException(field + ".runOn", "is missing: " + event.yaml() + " runs on another role's members",
          "name the role whose members learn of the change, e.g. runOn: head");
    }
    if (runOn != null) {
      if (spec.role(runOn) == null) {
        throw new InvalidInputException(field + ".runOn", "names unknown role " + InvalidInputException.quote(runOn), "roles: " + spec.roleNames());
      }
      if (event == HookEvent.ON_CREATE && !runOn.equals(role)) {
        throw new InvalidInputException(field + ".runOn", "onCreate runs on the new member itself", "drop runOn, or use onMemberJoin to run on another role");
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidInputException(field + ".timeout", "must be positive", "e.g. timeout: 60s");
    }
    if (retries < 0 || retries > MAX_RETRIES) {
      throw new InvalidInputException(field + ".retries", "must be from 0 to " + MAX_RETRIES + ", got " + retries, "e.g. retries: 3");
    }
    if (backoff.isNegative()) {
      throw new InvalidInputException(field + ".backoff", "must not be negative", "e.g. backoff: 2s");
    }
    Templates.check(field + ".command", command, spec);
  }
}
