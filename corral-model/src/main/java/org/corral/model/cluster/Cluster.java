package org.corral.model.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A virtual cluster as the controller keeps it: the spec, what is wanted (desire, per-role counts
 * changed by {@code scale} and elasticity), its condition and each role's, and the history of
 * its hook runs (the last {@link #MAX_HISTORY}), and when each role's count last changed by
 * elasticity or {@code scale} ({@code scaled}, for the cool-down; absent in clusters saved before
 * elasticity). Immutable; each {@code with*} bumps the version.
 */
public record Cluster(String name, ClusterSpec spec, String owner, ClusterDesire desire, Map<String, Integer> counts, Condition condition,
    Map<String, Condition> roles, Map<String, HookOutcome> hooks, List<String> history, Instant created, long version,
    Map<String, Instant> scaled) {
  public static final int MAX_HISTORY = 200;

  public Cluster {
    counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    roles = Collections.unmodifiableSortedMap(new TreeMap<>(roles));
    hooks = Collections.unmodifiableSortedMap(new TreeMap<>(hooks));
    scaled = scaled == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(scaled));
    history = List.copyOf(history.size() > MAX_HISTORY ? history.subList(history.size() - MAX_HISTORY, history.size()) : history);
  }

  public static Cluster create(ClusterSpec spec, String owner, Instant at) {
    Map<String, Integer> counts = new TreeMap<>();
    for (RoleSpec r : spec.roles()) {
      if (r.hostedBy() == null) {
        counts.put(r.name(), r.count());
      }
    }
    return new Cluster(spec.name(), spec, owner, ClusterDesire.RUNNING, counts, new Condition(ClusterPhase.PENDING, "accepted", at), Map.of(),
        Map.of(), List.of(at + " accepted"), at, 1, Map.of());
  }

  /** Members wanted in {@code role} (a role with VMs of its own). */
  public int count(String role) {
    RoleSpec r = spec.role(role);
    return counts.getOrDefault(role, r == null ? 0 : r.count());
  }

  /** A new spec (apply): counts of roles still present are kept when the spec's count did not change, else the spec's. */
  public Cluster withSpec(ClusterSpec s) {
    Map<String, Integer> c = new TreeMap<>();
    for (RoleSpec r : s.roles()) {
      if (r.hostedBy() != null) {
        continue;
      }
      RoleSpec old = spec.role(r.name());
      Integer kept = counts.get(r.name());
      int n = old != null && old.count() == r.count() && kept != null ? kept : r.count();
      c.put(r.name(), Math.max(r.min(), Math.min(r.max(), n)));
    }
    return new Cluster(name, s, owner, desire, c, condition, roles, hooks, history, created, version + 1, scaled);
  }

  public Cluster withCount(String role, int n) {
    Map<String, Integer> c = new TreeMap<>(counts);
    c.put(role, n);
    return new Cluster(name, spec, owner, desire, c, condition, roles, hooks, history, created, version + 1, scaled);
  }

  /** {@code role}'s count changed to {@code n} at {@code at} (elasticity or scale). */
  public Cluster withScaled(String role, int n, Instant at) {
    Map<String, Instant> t = new TreeMap<>(scaled);
    t.put(role, at);
    Cluster w = withCount(role, n);
    return new Cluster(name, spec, owner, desire, w.counts, condition, roles, hooks, history, created, w.version, t);
  }

  /** When {@code role}'s count last changed by elasticity or scale, or null. */
  public @org.jspecify.annotations.Nullable Instant scaledAt(String role) {
    return scaled.get(role);
  }

  public Cluster withDesire(ClusterDesire d) {
    return new Cluster(name, spec, owner, d, counts, condition, roles, hooks, history, created, version + 1, scaled);
  }

  public Cluster withConditions(Condition c, Map<String, Condition> r) {
    return new Cluster(name, spec, owner, desire, counts, c, r, hooks, history, created, version + 1, scaled);
  }

  public Cluster withHook(HookOutcome o) {
    Map<String, HookOutcome> h = new TreeMap<>(hooks);
    h.put(o.key(), o);
    return new Cluster(name, spec, owner, desire, counts, condition, roles, h, history, created, version + 1, scaled);
  }

  public Cluster withHistory(String line) {
    List<String> h = new ArrayList<>(history);
    h.add(line);
    return new Cluster(name, spec, owner, desire, counts, condition, roles, hooks, h, created, version + 1, scaled);
  }
}
