package org.corral.model.cluster;

import java.util.List;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;

/**
 * One role of a cluster.
 *
 * @param count        members wanted at first (between min and max)
 * @param template     the members' VM template; null: the cluster's default template
 * @param antiAffinity members on different hosts; null: yes when the role may have several members
 * @param requirements CEL over {@code host.*} every member's host must satisfy (with the template's own)
 * @param hostedBy     another role whose VMs also hold this role (one VM, several roles): this role
 *                     has no VMs of its own, its members are that role's members
 * @param elasticity   rules that change the count between min and max; null: the count changes only by hand
 * @param metrics      the role's exec probes (metrics besides the Monitor's cpu and memory)
 */
public record RoleSpec(String name, int min, int max, int count, @Nullable VmSpec template, @Nullable Boolean antiAffinity,
    @Nullable String requirements, List<String> dependsOn, @Nullable String hostedBy, List<Check> readiness, List<Check> health,
    List<Hook> hooks, @Nullable ElasticitySpec elasticity, List<MetricProbe> metrics) {
  /** Members of one role: a cluster, not a fleet. */
  public static final int MAX_MEMBERS = 1000;

  public RoleSpec {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    readiness = readiness == null ? List.of() : List.copyOf(readiness);
    health = health == null ? List.of() : List.copyOf(health);
    hooks = hooks == null ? List.of() : List.copyOf(hooks);
    requirements = requirements == null || requirements.isBlank() ? null : requirements;
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** A role without elasticity or probes. */
  public RoleSpec(String name, int min, int max, int count, @Nullable VmSpec template, @Nullable Boolean antiAffinity,
      @Nullable String requirements, List<String> dependsOn, @Nullable String hostedBy, List<Check> readiness, List<Check> health,
      List<Hook> hooks) {
    this(name, min, max, count, template, antiAffinity, requirements, dependsOn, hostedBy, readiness, health, hooks, null, List.of());
  }

  /** The names elasticity rules may read: the Monitor's (cpu, memory) and the role's probes'. */
  public java.util.Set<String> metricNames() {
    java.util.Set<String> names = new java.util.TreeSet<>(ElasticitySpec.BUILT_IN);
    metrics.forEach(m -> names.add(m.name()));
    return names;
  }

  /** Members on different hosts: as declared, else whenever the role may have more than one member. */
  public boolean spreads() {
    return antiAffinity != null ? antiAffinity : max > 1;
  }

  public List<Hook> hooks(HookEvent e) {
    return hooks.stream().filter(h -> h.event() == e).toList();
  }

  void validate(String field, ClusterSpec spec) {
    Names.require(field + ".name", name);
    if (min < 0) {
      throw new InvalidInputException(field + ".min", "must not be negative, got " + min, "e.g. min: 1");
    }
    if (max > MAX_MEMBERS) {
      throw new InvalidInputException(field + ".max", "must be at most " + MAX_MEMBERS + ", got " + max, "split the role, or lower max");
    }
    if (min > max) {
      throw new InvalidInputException(field + ".min", "is " + min + ", more than max " + max, "raise max to at least " + min + " or lower min");
    }
    if (count < min || count > max) {
      throw new InvalidInputException(field + ".count", "is " + count + ", outside min " + min + " .. max " + max, "give a count from " + min + " to " + max);
    }
    if (template != null) {
      spec.within(field + ".template", template::validate);
      if (template.userData() != null) {
        Templates.checkText(field + ".template.userData", template.userData(), spec);
      }
    }
    for (int i = 0; i < dependsOn.size(); i++) {
      String d = dependsOn.get(i);
      if (spec.role(d) == null) {
        throw new InvalidInputException(field + ".dependsOn[" + i + "]", "names unknown role " + InvalidInputException.quote(d), "roles: " + spec.roleNames());
      }
      if (d.equals(name)) {
        throw new InvalidInputException(field + ".dependsOn[" + i + "]", "names the role itself", "drop it");
      }
    }
    if (hostedBy != null) {
      RoleSpec host = spec.role(hostedBy);
      if (host == null) {
        throw new InvalidInputException(field + ".hostedBy", "names unknown role " + InvalidInputException.quote(hostedBy), "roles: " + spec.roleNames());
      }
      if (hostedBy.equals(name) || host.hostedBy() != null) {
        throw new InvalidInputException(field + ".hostedBy", "must name a role with VMs of its own", "name the role whose VMs hold this one, e.g. hostedBy: master");
      }
      if (template != null) {
        throw new InvalidInputException(field + ".template", "is not used: the role's VMs are " + hostedBy + "'s", "drop template, or drop hostedBy");
      }
    }
    for (int i = 0; i < readiness.size(); i++) {
      readiness.get(i).validate(field + ".readiness[" + i + "]", spec);
      if (readiness.get(i).supervisor() != null) {
        throw new InvalidInputException(field + ".readiness[" + i + "].supervisor", "is for health checks only",
            "move the check to health:, or drop supervisor");
      }
    }
    for (int i = 0; i < health.size(); i++) {
      health.get(i).validate(field + ".health[" + i + "]", spec);
    }
    for (int i = 0; i < hooks.size(); i++) {
      hooks.get(i).validate(field + ".hooks[" + i + "]", spec, name);
    }
    java.util.Set<String> probes = new java.util.HashSet<>();
    for (int i = 0; i < metrics.size(); i++) {
      metrics.get(i).validate(field + ".metrics[" + i + "]", spec);
      if (!probes.add(metrics.get(i).name())) {
        throw new InvalidInputException(field + ".metrics[" + i + "].name", InvalidInputException.quote(metrics.get(i).name()) + " is declared twice",
            "give each metric its own name");
      }
    }
    if (elasticity != null) {
      elasticity.validate(field + ".elasticity", this);
    }
  }
}
