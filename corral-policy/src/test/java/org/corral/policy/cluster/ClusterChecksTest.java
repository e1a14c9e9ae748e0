package org.corral.policy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.corral.model.InvalidInputException;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.ElasticitySpec;
import org.corral.model.cluster.MetricProbe;
import org.corral.model.cluster.ScaleRule;
import org.corral.model.cluster.HostPool;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.VmSpec;
import org.junit.jupiter.api.Test;

/** A spec against the world: unknown hosts, an empty pool, CEL that does not compile, a template no host can hold. */
class ClusterChecksTest {
  private final Snapshot lab = new ClusterLab().host("h1", 4, 8192, Map.of("rack", "a")).host("h2", 8, 16_384, Map.of("rack", "b")).snapshot();

  static RoleSpec role(String name, VmSpec template, String requirements) {
    return new RoleSpec(name, 1, 1, 1, template, null, requirements, List.of(), null, List.of(), List.of(), List.of());
  }

  private static ClusterSpec spec(HostPool pool, RoleSpec... roles) {
    return new ClusterSpec("c", pool, VmSpec.of(1, 1024), List.of(roles)).validate();
  }

  private void rejects(ClusterSpec s, String field, String problem) {
    assertThatThrownBy(() -> ClusterChecks.check(s, lab))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(problem);
  }

  private static RoleSpec elastic(String when) {
    var e = new ElasticitySpec(null, List.of(new ScaleRule(when, 1, 1, false, null)), List.of());
    return new RoleSpec("compute", 1, 10, 1, null, null, null, List.of(), null, List.of(), List.of(), List.of(), e,
        List.of(new MetricProbe("queue", List.of("qstat"), null)));
  }

  @Test
  void elasticityRulesCompileOverTheRolesMetrics() {
    ClusterSpec ok = spec(HostPool.ANY, elastic("queue.max > 10 && cpu.mean < 0.5 || memory.sum >= 3.0"));
    assertThat(ClusterChecks.check(ok, lab)).isSameAs(ok);
    rejects(spec(HostPool.ANY, elastic("qeue.max > 10")), "roles[0].elasticity.rules[0].when", "undeclared reference to 'qeue'");
    rejects(spec(HostPool.ANY, elastic("cpu.avg > 0.8")), "roles[0].elasticity.rules[0].when", "does not compile");
    rejects(spec(HostPool.ANY, elastic("cpu.mean > ")), "roles[0].elasticity.rules[0].when", "does not compile");
    rejects(spec(HostPool.ANY, elastic("cpu.mean * 2.0")), "roles[0].elasticity.rules[0].when", "must be bool");
  }

  @Test
  void aHealthChecksSupervisorMustNameAPreset() {
    java.util.function.Function<String, RoleSpec> supervised = name -> new RoleSpec("a", 1, 1, 1, null, null, null, List.of(), null, List.of(),
        List.of(new org.corral.model.cluster.Check(org.corral.model.cluster.CheckKind.EXEC, 0, null, List.of("pgrep", "x"), null, null, 3, name,
            List.of("systemctl", "restart", "x"))), List.of());
    assertThat(ClusterChecks.check(spec(HostPool.ANY, supervised.apply("zaragoza")), lab).roles()).hasSize(1);
    assertThat(ClusterChecks.check(spec(HostPool.ANY, supervised.apply("study")), lab).roles()).hasSize(1);
    rejects(spec(HostPool.ANY, supervised.apply("monit")), "roles[0].health[0].supervisor", "'monit' is not a supervisor preset");
  }

  @Test
  void aSpecThatFitsPasses() {
    ClusterSpec s = spec(new HostPool(List.of(), Map.of("rack", "b")), role("a", VmSpec.of(8, 16_000), "host.labels['rack'] == 'b'"));
    assertThat(ClusterChecks.check(s, lab)).isSameAs(s);
  }

  @Test
  void unknownHostIsNamedWithTheKnownOnes() {
    rejects(spec(new HostPool(List.of("h1", "h9"), Map.of()), role("a", null, null)), "hosts.names[1]", "known hosts: h1, h2");
  }

  @Test
  void aSelectorNoHostMatchesIsRejected() {
    rejects(spec(new HostPool(List.of(), Map.of("rack", "z")), role("a", null, null)), "hosts", "admits no host");
  }

  @Test
  void requirementsThatDoNotCompileAreRejected() {
    rejects(spec(HostPool.ANY, role("a", null, "host.labels['rack'] ==")), "roles[0].requirements", "does not compile");
  }

  @Test
  void aTemplateThatFitsNoHostOfThePoolIsRejected() {
    // 8 vCPUs fit h2, but the pool is h1 only.
    rejects(spec(new HostPool(List.of("h1"), Map.of()), role("a", VmSpec.of(8, 1024), null)), "roles[0].template", "fits no host of the pool");
  }
}
