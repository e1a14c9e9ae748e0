package org.corral.model.vm;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.List;
import org.corral.model.Names;

/**
 * A virtual machine. Immutable; the controller replaces it through the {@code with*} methods,
 * each of which bumps {@link #version}. State changes go through {@link VmState#MACHINE}.
 *
 * @param uuid            stable identity, also the libvirt domain UUID
 * @param host            where it runs or last ran (null while PENDING or HOLD)
 * @param migrationTarget the destination while MIGRATING, else null
 * @param desired         what the user asked for
 * @param version         incremented on every change
 */
public record Vm(
    String name,
    String uuid,
    VmSpec spec,
    String owner,
    VmState state,
    DesiredState desired,
    @Nullable String host,
    @Nullable String migrationTarget,
    List<NicLease> leases,
    String stateReason,
    Instant created,
    Instant stateSince,
    long version) {

  public Vm {
    Names.require("name", name);
    leases = leases == null ? List.of() : List.copyOf(leases);
  }

  public static Vm pending(String name, String uuid, VmSpec spec, String owner, List<NicLease> leases, Instant at) {
    return new Vm(name, uuid, spec, owner, VmState.PENDING, DesiredState.RUNNING, null, null, leases,
        "waiting for a host", at, at, 1);
  }

  /** Changes state (validated), keeping the host. */
  public Vm withState(VmState to, String reason, Instant at) {
    return moved(to, host, migrationTarget, reason, at);
  }

  /** Changes state and host together (placement, migration, recovery). */
  public Vm moved(VmState to, @Nullable String newHost, @Nullable String newTarget, String reason, Instant at) {
    VmState.MACHINE.check(name, state, to);
    Instant since = to == state ? stateSince : at;
    return new Vm(name, uuid, spec, owner, to, desired, newHost, newTarget, leases, reason, created, since, version + 1);
  }

  public Vm withDesired(DesiredState d) {
    return new Vm(name, uuid, spec, owner, state, d, host, migrationTarget, leases, stateReason, created, stateSince, version + 1);
  }

  /** Digits of {@link #shortId()}. */
  public static final int SHORT_ID_DIGITS = 17;

  /**
   * The first 17 hex digits of the UUID, lower case, without dashes: short enough to type, long
   * enough not to collide (68 bits); the EC2 API's instance id is {@code i-} and this. Null for a
   * UUID too short to have them.
   */
  public @Nullable String shortId() {
    String hex = uuid == null ? "" : uuid.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    return hex.length() < SHORT_ID_DIGITS ? null : hex.substring(0, SHORT_ID_DIGITS);
  }

  /** The same VM with another spec (e.g. new labels); state, host and leases unchanged. */
  public Vm withSpec(VmSpec s) {
    return new Vm(name, uuid, s, owner, state, desired, host, migrationTarget, leases, stateReason, created, stateSince, version + 1);
  }
}
