package org.corral.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.corral.model.InvalidInputException;
import org.corral.model.Labels;
import org.corral.model.host.Host;
import org.corral.policy.consolidation.ConsolidationSettings;

/**
 * The energy optimizer (corral.yaml {@code optimizer:}): how much it may do on its own, how often
 * it decides, and how it consolidates.
 *
 * @param automation OFF decides nothing; RECOMMEND shows its plan (`corral plan`) and applies
 *                   nothing; PARTIAL applies migrations and leaves power actions to be approved;
 *                   FULL applies everything
 * @param period     how often it decides (the energy study: 10 s)
 * @param groups     automation per host group: the first group whose labels a host carries sets
 *                   its level; hosts in no group use {@code automation}. An action that touches
 *                   several hosts (a migration) runs at the most cautious of their levels.
 */
public record OptimizerSettings(Automation automation, Duration period, ConsolidationSettings consolidation,
    List<Group> groups) {
  /** Hosts carrying every one of {@code labels} run at {@code automation}. */
  public record Group(Map<String, String> labels, Automation automation) {
    public Group {
      labels = Map.copyOf(labels);
      Objects.requireNonNull(automation, "automation");
      if (labels.isEmpty()) {
        throw new InvalidInputException("optimizer.groups[].labels", "is empty", "give the labels that pick the hosts, e.g. {rack: r2}");
      }
    }

    boolean matches(Host h) {
      return h.labels().entrySet().containsAll(labels.entrySet());
    }
  }
  public enum Automation { OFF, RECOMMEND, PARTIAL, FULL }

  /** Recommend only, every 30 s: nothing moves until an administrator says so. */
  public static final OptimizerSettings DEFAULT = new OptimizerSettings(Automation.RECOMMEND, Duration.ofSeconds(30),
      ConsolidationSettings.DEFAULT, List.of());

  public OptimizerSettings(Automation automation, Duration period, ConsolidationSettings consolidation) {
    this(automation, period, consolidation, List.of());
  }

  public OptimizerSettings {
    Objects.requireNonNull(automation, "automation");
    Objects.requireNonNull(consolidation, "consolidation");
    groups = List.copyOf(groups);
    if (period == null || period.isZero() || period.isNegative()) {
      throw new InvalidInputException("optimizer.period", "must be a positive duration", "e.g. 30s (the energy study used 10s)");
    }
  }

  /** The default level: that of the hosts in no group. */
  public OptimizerSettings withAutomation(Automation a) {
    return new OptimizerSettings(a, period, consolidation, groups);
  }

  /**
   * These settings with the group of exactly {@code labels} at {@code level}: changed in place
   * where there is one (its rank kept: the first matching group wins), else added last.
   */
  public OptimizerSettings withGroup(Map<String, String> labels, Automation level) {
    List<Group> out = new java.util.ArrayList<>(groups);
    Group g = new Group(labels, level);
    int i = indexOf(labels);
    if (i >= 0) {
      out.set(i, g);
    } else {
      out.add(g);
    }
    return new OptimizerSettings(automation, period, consolidation, out);
  }

  /** These settings without the group of exactly {@code labels}: its hosts take the next matching group's level, or the default. */
  public OptimizerSettings withoutGroup(Map<String, String> labels) {
    int i = indexOf(labels);
    if (i < 0) {
      throw new org.corral.model.NotFoundException("optimizer group", Labels.text(labels),
          "GET /optimizer lists the groups; PATCH /optimizer/groups/KEY=VALUE adds one");
    }
    List<Group> out = new java.util.ArrayList<>(groups);
    out.remove(i);
    return new OptimizerSettings(automation, period, consolidation, out);
  }

  /** The group of exactly {@code labels}, if any. */
  public java.util.Optional<Group> group(Map<String, String> labels) {
    int i = indexOf(labels);
    return i < 0 ? java.util.Optional.empty() : java.util.Optional.of(groups.get(i));
  }

  private int indexOf(Map<String, String> labels) {
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).labels().equals(labels)) {
        return i;
      }
    }
    return -1;
  }

  /** The level {@code h} runs at: its first matching group's, else the default. */
  public Automation automationOf(Host h) {
    for (Group g : groups) {
      if (g.matches(h)) {
        return g.automation();
      }
    }
    return automation;
  }
}
