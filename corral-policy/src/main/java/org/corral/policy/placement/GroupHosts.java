package org.corral.policy.placement;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * For each affinity (or anti-affinity) group, the hosts holding at least one member. Counts per
 * host let a what-if session remove a member and still know whether others remain there.
 */
final class GroupHosts {
  private final int size;
  private final Map<String, BitSet> hosts = new HashMap<>();
  private final Map<String, int[]> members = new HashMap<>();

  GroupHosts(int size) {
    this.size = size;
  }

  void add(@Nullable String group, int h) {
    if (group != null) {
      members.computeIfAbsent(group, g -> new int[size])[h]++;
      hosts.computeIfAbsent(group, g -> new BitSet()).set(h);
    }
  }

  void remove(@Nullable String group, int h) {
    int[] count = group == null ? null : members.get(group);
    if (count != null && count[h] > 0 && --count[h] == 0) {
      BitSet set = Objects.requireNonNull(hosts.get(group), "a group with members has hosts");
      set.clear(h);
      if (set.isEmpty()) {
        hosts.remove(group);
        members.remove(group);
      }
    }
  }

  /** Hosts holding a member of {@code group}, or null when none (or no group). */
  @Nullable BitSet hosts(@Nullable String group) {
    return group == null ? null : hosts.get(group);
  }
}
