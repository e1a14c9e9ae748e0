package org.corral.controller.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;

/**
 * Instances terminated through this endpoint, kept for an hour as EC2 keeps them visible
 * ({@code terminated}, code 48), then forgotten. In memory only (a restart forgets them), at most
 * {@link #MAX} (the oldest go first). Each is the VM as it was when terminated, with state DELETED.
 * Thread-safe: written by TerminateInstances, read by DescribeInstances.
 */
final class Terminated {
  static final Duration KEEP = Duration.ofHours(1);
  static final int MAX = 10_000;

  private record Entry(Vm vm, Instant at) {}

  /** By VM name (the order DescribeInstances pages in). */
  private final TreeMap<String, Entry> byName = new TreeMap<>();

  synchronized void add(Vm vm, Instant at) {
    prune(at);
    if (byName.size() >= MAX) {
      byName.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Entry::at)))
          .ifPresent(oldest -> byName.remove(oldest.getKey()));
    }
    byName.put(vm.name(), new Entry(new Vm(vm.name(), vm.uuid(), vm.spec(), vm.owner(), VmState.DELETED, DesiredState.DELETED, null,
        null, vm.leases(), "terminated by the user", vm.created(), at, vm.version() + 1), at));
  }

  /** The instances terminated within the last hour, by name, as of {@code now}. */
  synchronized NavigableMap<String, Vm> recent(Instant now) {
    prune(now);
    TreeMap<String, Vm> out = new TreeMap<>();
    byName.forEach((name, e) -> out.put(name, e.vm()));
    return out;
  }

  private void prune(Instant now) {
    byName.values().removeIf(e -> !e.at().plus(KEEP).isAfter(now));
  }
}
