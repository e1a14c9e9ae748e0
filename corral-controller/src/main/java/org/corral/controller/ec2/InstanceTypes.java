package org.corral.controller.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The instance types RunInstances accepts and DescribeInstanceTypes lists: the configured
 * flavours (corral.yaml {@code flavours:}, {@link Flavour#DEFAULTS} when it names none).
 */
final class InstanceTypes {
  /** The type RunInstances uses without InstanceType, when it is a flavour; else the first flavour. */
  static final String PREFERRED_DEFAULT = "t2.micro";

  private final Map<String, Flavour> byName = new LinkedHashMap<>();

  InstanceTypes(List<Flavour> flavours) {
    if (flavours.isEmpty()) {
      throw new IllegalArgumentException("at least one flavour");
    }
    for (Flavour f : flavours) {
      byName.putIfAbsent(f.name(), f);
    }
  }

  List<Flavour> all() {
    return List.copyOf(byName.values());
  }

  @Nullable Flavour byName(String name) {
    return byName.get(name);
  }

  Flavour defaultType() {
    Flavour preferred = byName.get(PREFERRED_DEFAULT);
    return preferred != null ? preferred : byName.values().iterator().next();
  }

  /** The type of a VM of this size: the first flavour of exactly that size, else {@code corral.<cpus>x<MiB>}. */
  String nameOf(int cpus, long memoryMib) {
    for (Flavour f : byName.values()) {
      if (f.cpus() == cpus && f.memoryMib() == memoryMib) {
        return f.name();
      }
    }
    return "corral." + cpus + "x" + memoryMib;
  }
}
