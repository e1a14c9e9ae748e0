package org.corral.model.host;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.corral.model.Names;
import org.jspecify.annotations.Nullable;

/**
 * A physical machine with a hypervisor. Immutable; the controller replaces it with
 * {@link #withState} and friends.
 *
 * @param uri         hypervisor URI ({@code qemu+ssh://root@node1/system}, {@code test:///default},
 *                    {@code sim://lab/node1})
 * @param labels      free-form labels, visible to requirements expressions as {@code host.labels}
 * @param stateReason why the host is in its state (shown by {@code corral host list})
 * @param version     incremented by the controller on every change
 * @param lockManager the host's libvirt lock manager (storage leases of its VMs' disks)
 */
public record Host(
    String name,
    String uri,
    HostCapacity capacity,
    Map<String, String> labels,
    PowerSpec power,
    @Nullable PowerModel powerModel,
    HostState state,
    String stateReason,
    Instant stateSince,
    long version,
    LockManager lockManager) {

  public Host {
    Names.require("name", name);
    labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    power = power == null ? PowerSpec.NONE : power;
    lockManager = lockManager == null ? LockManager.NONE : lockManager;
  }

  /** Without a lock manager. */
  public Host(String name, String uri, HostCapacity capacity, Map<String, String> labels, PowerSpec power,
      @Nullable PowerModel powerModel, HostState state, String stateReason, Instant stateSince, long version) {
    this(name, uri, capacity, labels, power, powerModel, state, stateReason, stateSince, version, LockManager.NONE);
  }

  /** The host's power model, or {@link PowerModel#TYPICAL} when it declares none. */
  public PowerModel powerModelOrTypical() {
    return powerModel != null ? powerModel : PowerModel.TYPICAL;
  }

  public Host withState(HostState to, String reason, Instant at) {
    HostState.MACHINE.check(name, state, to);
    Instant since = to == state ? stateSince : at;
    return new Host(name, uri, capacity, labels, power, powerModel, to, reason, since, version + 1, lockManager);
  }


}
