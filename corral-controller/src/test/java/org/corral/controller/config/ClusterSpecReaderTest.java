package org.corral.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.corral.model.InvalidInputException;
import org.corral.model.cluster.CheckKind;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.ElasticitySpec;
import org.corral.model.cluster.HookEvent;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.cluster.ScaleRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cluster specs: the shipped examples, defaults, and each kind of mistake named by its field path with a fix. */
class ClusterSpecReaderTest {
  private static ClusterSpec example(String name) throws IOException {
    return ClusterSpecReader.parse(Files.readString(Path.of("../examples/" + name)), name);
  }

  @Test
  void torqueHasAHeadThenComputeNodesRegisteredOnTheHead() throws IOException {
    ClusterSpec t = example("torque.yaml");
    assertThat(t.name()).isEqualTo("torque");
    assertThat(t.waves()).containsExactly(List.of("head"), List.of("compute"));
    RoleSpec compute = t.role("compute");
    assertThat(compute).isNotNull();
    assertThat(compute.min()).isEqualTo(1);
    assertThat(compute.max()).isEqualTo(10);
    assertThat(compute.count()).isEqualTo(3);
    assertThat(compute.spreads()).as("a role with several members spreads by default").isTrue();
    assertThat(compute.hooks(HookEvent.ON_MEMBER_JOIN)).extracting(h -> h.command().get(0)).containsExactly("qmgr", "pbsnodes");
    assertThat(compute.hooks(HookEvent.ON_MEMBER_JOIN).get(0).runOn()).isEqualTo("head");
    assertThat(compute.readiness()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(CheckKind.EXEC));
    assertThat(t.templateOf(compute).memoryMib()).isEqualTo(1024);
    assertThat(t.role("head").spreads()).isFalse();
    assertThat(compute.metrics()).singleElement().satisfies(m -> {
      assertThat(m.name()).isEqualTo("queue");
      assertThat(m.runOn()).isEqualTo("head");
    });
    assertThat(compute.metricNames()).containsExactly("cpu", "memory", "queue");
    ElasticitySpec e = compute.elasticity();
    assertThat(e).isNotNull();
    assertThat(e.period()).isEqualTo(Duration.ofSeconds(30));
    assertThat(e.rules()).extracting(ScaleRule::when, ScaleRule::forPeriods, ScaleRule::adjust, ScaleRule::cooldown)
        .containsExactly(tuple("queue.max > 10", 2, 2, Duration.ofMinutes(3)), tuple("queue.max == 0.0 && cpu.mean < 0.2", 10, -1, Duration.ofMinutes(5)));
  }

  @Test
  void elasticityReadsPercentagesAndSchedules() {
    ClusterSpec s = ClusterSpecReader.parse("""
        name: c
        roles:
          - name: web
            min: 2
            max: 20
            elasticity:
              rules:
                - {when: "cpu.mean > 0.8", adjust: +50%}
                - {when: "cpu.mean < 0.2", for: 5, adjust: "-25%", cooldown: 10m}
              schedule:
                - {cron: "0 8 * * 1-5", count: 10}
        """, "t");
    ElasticitySpec e = s.role("web").elasticity();
    assertThat(e.period()).isEqualTo(ElasticitySpec.DEFAULT_PERIOD);
    assertThat(e.rules()).extracting(ScaleRule::adjustText, ScaleRule::forPeriods, ScaleRule::cooldown)
        .containsExactly(tuple("+50%", 1, ScaleRule.DEFAULT_COOLDOWN), tuple("-25%", 5, Duration.ofMinutes(10)));
    assertThat(e.schedule()).singleElement().satisfies(c -> assertThat(c.count()).isEqualTo(10));
  }

  @Test
  void webDeploysDatabaseThenServersThenBalancer() throws IOException {
    ClusterSpec w = example("web.yaml");
    assertThat(w.waves()).containsExactly(List.of("db"), List.of("app"), List.of("balancer"));
    assertThat(w.role("app").readiness().get(0).path()).isEqualTo("/health");
  }

  @Test
  void appscaleHoldsSeveralRolesOnOneVm() throws IOException {
    ClusterSpec a = example("appscale.yaml");
    RoleSpec zk = a.role("zookeeper");
    assertThat(a.vmRole(zk).name()).isEqualTo("master");
    assertThat(a.waves().get(0)).containsExactly("master");
    assertThat(a.waves().get(1)).contains("zookeeper", "login", "open");
  }

  @Test
  void independentRolesShareAWave() {
    ClusterSpec s = ClusterSpecReader.parse("""
        name: c
        roles:
          - {name: a}
          - {name: b}
          - {name: c, dependsOn: [a, b]}
        """, "t");
    assertThat(s.waves()).containsExactly(List.of("a", "b"), List.of("c"));
    assertThat(s.template().cpus()).as("the study's default: 1 vCPU, 1 GiB").isEqualTo(1);
    assertThat(s.template().memoryMib()).isEqualTo(1024);
  }

  private static final String ELASTIC = "name: c\nroles: [{name: a, min: 1, max: 10, elasticity: {rules: [";

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("roles: [{name: a}]", "name", "is missing"),
        Arguments.of("name: c\nroles: []", "roles", "is empty"),
        Arguments.of("name: c\nroles: [{name: a, min: 3, max: 2}]", "roles[0].min", "more than max 2"),
        Arguments.of("name: c\nroles: [{name: a, min: 1, max: 2, count: 5}]", "roles[0].count", "outside min"),
        Arguments.of("name: c\nroles: [{name: a, dependsOn: [b]}]", "roles[0].dependsOn[0]", "unknown role 'b'"),
        Arguments.of("name: c\nroles: [{name: a, dependsOn: [b]}, {name: b, dependsOn: [c]}, {name: c, dependsOn: [a]}]",
            "roles[0].dependsOn", "cycle: a -> b -> c -> a"),
        Arguments.of("name: c\nroles: [{name: a}, {name: a}]", "roles[1].name", "declared twice"),
        Arguments.of("name: c\nroles: [{name: a, hostedBy: x}]", "roles[0].hostedBy", "unknown role 'x'"),
        Arguments.of("name: c\nroles: [{name: a, hooks: [{on: onCreate, command: [echo, '{{member.nmae}}']}]}]",
            "roles[0].hooks[0].command[1]", "unknown variable {{member.nmae}}"),
        Arguments.of("name: c\nroles: [{name: a, hooks: [{on: onCreate, command: [echo, '{{roles.b.addresses}}']}]}]",
            "roles[0].hooks[0].command[1]", "unknown variable {{roles.b.addresses}}"),
        Arguments.of("name: c\ntemplate: {userData: 'hostname: {{member.hostnmae}}'}\nroles: [{name: a}]", "template.userData",
            "unknown variable {{member.hostnmae}}"),
        Arguments.of("name: c\nroles: [{name: a}, {name: b, template: {userData: 'server: {{roles.c.addresses}}'}}]", "roles[1].template.userData",
            "unknown variable {{roles.c.addresses}}"),
        Arguments.of("name: c\nroles: [{name: a, template: {userData: 'x: {{member.name}'}}]", "roles[0].template.userData", "malformed"),
        Arguments.of("name: c\nroles: [{name: a, health: [{exec: [pgrep, x], supervisor: zaragoza}]}]", "roles[0].health[0].restart",
            "needs the command that starts it"),
        Arguments.of("name: c\nroles: [{name: a, health: [{exec: [pgrep, x], restart: [x, start]}]}]", "roles[0].health[0].restart",
            "only with a supervisor"),
        Arguments.of("name: c\nroles: [{name: a, readiness: [{exec: [pgrep, x], supervisor: study, restart: [x]}]}]",
            "roles[0].readiness[0].supervisor", "health checks only"),
        Arguments.of("name: c\nroles: [{name: a, health: [{exec: [pgrep, x], supervisor: study, restart: ['{{member.nmae}}']}]}]",
            "roles[0].health[0].restart[0]", "unknown variable"),
        Arguments.of("name: c\nroles: [{name: a, hooks: [{on: onMemberJoin, command: [echo]}]}]", "roles[0].hooks[0].runOn", "is missing"),
        Arguments.of("name: c\nroles: [{name: a, hooks: [{on: onBoot, command: [echo]}]}]", "roles[0].hooks[0].on", "not a hook event"),
        Arguments.of("name: c\nroles: [{name: a, hooks: [{on: onCreate, command: [echo], retries: 99}]}]", "roles[0].hooks[0].retries", "from 0 to 10"),
        Arguments.of("name: c\nroles: [{name: a, readiness: [{tcp: 70000}]}]", "roles[0].readiness[0].port", "from 1 to 65535"),
        Arguments.of("name: c\nroles: [{name: a, readiness: [{tcp: 80, exec: [true]}]}]", "roles[0].readiness[0]", "several kinds"),
        Arguments.of("name: c\nroles: [{name: a, readiness: [{http: 80, path: health}]}]", "roles[0].readiness[0].path", "start with '/'"),
        Arguments.of("name: c\nroles: [{name: a, template: {cpus: 0}}]", "roles[0].template.cpus", "between 1 and"),
        Arguments.of("name: c\ntemplate: {image: Debian_12}\nroles: [{name: a}]", "template.image", "not a valid name"),
        Arguments.of("name: c\nroles: [{name: a, colour: red}]", "roles[0].colour", "not a known field"),
        Arguments.of("name: c\nhosts: {names: [Bad_Host]}\nroles: [{name: a}]", "hosts.names[0]", "not a valid name"),
        Arguments.of("name: c\nroles: [{name: a}\n", "t", "not valid YAML"),
        Arguments.of(ELASTIC + "{when: 'cpu.mean > 0.8', adjust: 0}]}}]", "roles[0].elasticity.rules[0].adjust", "is 0"),
        Arguments.of(ELASTIC + "{when: 'cpu.mean > 0.8', adjust: twice}]}}]", "roles[0].elasticity.rules[0].adjust", "not an adjustment"),
        Arguments.of(ELASTIC + "{when: 'cpu.mean > 0.8', adjust: +1, for: 0}]}}]", "roles[0].elasticity.rules[0].for", "at least 1"),
        Arguments.of(ELASTIC + "{when: 'cpu.mean > 0.8', adjust: +1, cooldown: -5m}]}}]", "roles[0].elasticity.rules[0].cooldown", "not a duration"),
        Arguments.of(ELASTIC + "{adjust: +1}]}}]", "roles[0].elasticity.rules[0].when", "is missing"),
        Arguments.of(ELASTIC + "], schedule: [{cron: '0 8 * *', count: 2}]}}]", "roles[0].elasticity.schedule[0].cron", "not 5"),
        Arguments.of(ELASTIC + "], schedule: [{cron: '0 25 * * *', count: 2}]}}]", "roles[0].elasticity.schedule[0].cron", "bad hour field"),
        Arguments.of(ELASTIC + "], schedule: [{cron: '0 8 * * mon', count: 2}]}}]", "roles[0].elasticity.schedule[0].cron", "'mon' is not a number"),
        Arguments.of(ELASTIC + "], schedule: [{cron: '0 8 * * *', count: 11}]}}]", "roles[0].elasticity.schedule[0].count", "outside min 1 .. max 10"),
        Arguments.of(ELASTIC + "]}}]", "roles[0].elasticity", "no rules and no schedule"),
        Arguments.of(ELASTIC + "], period: 0s, schedule: [{cron: '0 8 * * *', count: 2}]}}]", "roles[0].elasticity.period", "must be positive"),
        Arguments.of("name: c\nroles: [{name: a, elasticity: {rules: [{when: 'cpu.mean > 0.8', adjust: +1}]}}]", "roles[0].elasticity",
            "min and max are both 1"),
        Arguments.of("name: c\nroles: [{name: a, metrics: [{name: cpu, command: [x]}]}]", "roles[0].metrics[0].name", "built-in metric"),
        Arguments.of("name: c\nroles: [{name: a, metrics: [{name: q, command: [x]}, {name: q, command: [y]}]}]", "roles[0].metrics[1].name", "declared twice"),
        Arguments.of("name: c\nroles: [{name: a, metrics: [{name: q}]}]", "roles[0].metrics[0].command", "is missing"),
        Arguments.of("name: c\nroles: [{name: a, metrics: [{name: q, command: [x], runOn: b}]}]", "roles[0].metrics[0].runOn", "unknown role 'b'"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void mistakesNameTheFieldAndTheFix(String yaml, String field, String problem) {
    assertThatThrownBy(() -> ClusterSpecReader.parse(yaml, "t"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(problem);
  }
}
