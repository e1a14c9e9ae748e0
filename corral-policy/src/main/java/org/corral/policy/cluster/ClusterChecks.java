package org.corral.policy.cluster;

import java.util.List;
import org.corral.model.InvalidInputException;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.host.Host;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.VmSpec;
import org.corral.policy.expr.Expressions;
import org.corral.policy.expr.MetricCondition;

/**
 * Checks a structurally valid spec against the world, naming the field and the fix: the pool's
 * hosts exist and it admits at least one, every requirements expression compiles, and every
 * role's template fits at least one host of the pool (by size, overcommit ignored: a member that
 * fits no empty host never runs); every elasticity rule's {@code when} compiles over the role's metrics;
 * every health check's supervisor names a preset.
 */
public final class ClusterChecks {
  private ClusterChecks() {}

  public static ClusterSpec check(ClusterSpec spec, Snapshot snapshot) {
    List<String> names = spec.pool().hosts();
    for (int i = 0; i < names.size(); i++) {
      if (snapshot.host(names.get(i)) == null) {
        throw new InvalidInputException("hosts.names[" + i + "]", "names unknown host " + InvalidInputException.quote(names.get(i)),
            "known hosts: " + String.join(", ", snapshot.hosts().keySet()));
      }
    }
    List<Host> pool = snapshot.hosts().values().stream().filter(spec.pool()::admits).toList();
    if (pool.isEmpty()) {
      throw new InvalidInputException("hosts", "admits no host (names " + names + ", selector " + spec.pool().selector() + ")",
          "name existing hosts or use a selector that some host's labels match");
    }
    Expressions.validateRequirements("template.requirements", spec.template().requirements());
    for (int i = 0; i < spec.roles().size(); i++) {
      RoleSpec r = spec.roles().get(i);
      String field = "roles[" + i + "]";
      if (r.template() != null) {
        Expressions.validateRequirements(field + ".template.requirements", r.template().requirements());
      }
      Expressions.validateRequirements(field + ".requirements", r.requirements());
      for (int j = 0; j < r.health().size(); j++) {
        String sup = r.health().get(j).supervisor();
        if (sup != null && org.corral.policy.service.SupervisorPreset.named(sup).isEmpty()) {
          throw new InvalidInputException(field + ".health[" + j + "].supervisor", InvalidInputException.quote(sup) + " is not a supervisor preset",
              "one of " + String.join(", ", org.corral.policy.service.SupervisorPreset.NAMES));
        }
      }
      if (r.elasticity() != null) {
        for (int j = 0; j < r.elasticity().rules().size(); j++) {
          MetricCondition.compile(field + ".elasticity.rules[" + j + "].when", r.elasticity().rules().get(j).when(), r.metricNames());
        }
      }
      if (r.hostedBy() == null) {
        VmSpec t = spec.templateOf(r);
        if (pool.stream().noneMatch(h -> fits(t, h))) {
          long maxMem = pool.stream().mapToLong(h -> h.capacity().memoryMib()).max().orElse(0);
          int maxCpus = pool.stream().mapToInt(h -> h.capacity().cores()).max().orElse(0);
          throw new InvalidInputException(field + (r.template() != null ? ".template" : ""), "(" + t.cpus() + " vCPUs, " + t.memoryMib()
              + " MiB) fits no host of the pool (largest: " + maxCpus + " cores, " + maxMem + " MiB)",
              "ask for at most " + maxCpus + " vCPUs and " + maxMem + " MiB, or add bigger hosts to the pool");
        }
      }
    }
    return spec;
  }

  private static boolean fits(VmSpec t, Host h) {
    return t.cpus() <= h.capacity().cores() && t.memoryMib() <= h.capacity().memoryMib();
  }
}
