package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.corral.controller.config.ClusterSpecReader;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.ssh.SshGuestExec;
import org.corral.drivers.ssh.TestSshServer;
import org.corral.model.cluster.Cluster;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.HookOutcome;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.corral.policy.cluster.ClusterPolicy;
import org.corral.policy.cluster.HookRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same hooks the simulated lab runs, over SSH against an embedded SSH server (MINA sshd on
 * loopback): the spec's {@code guest} URI is a template rendered for each target, and each
 * hook's argument list reaches the server as one quoted command line, in the policy's order.
 */
class ClusterHooksOverSshTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private TestSshServer sshd;
  private SshGuestExec ssh;

  @AfterEach
  void stop() throws Exception {
    if (ssh != null) {
      ssh.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  private static Vm member(ClusterSpec spec, String role, int index, String ip) {
    String name = ClusterPolicy.memberName(spec.name(), role, index);
    VmSpec s = new VmSpec(1, 1024, List.of(), List.of(), null, null, null, null, null, null, null,
        Map.of(ClusterSpec.CLUSTER_LABEL, spec.name(), ClusterSpec.ROLE_LABEL, role));
    return new Vm(name, "uuid-" + name, s, "alice", VmState.RUNNING, DesiredState.RUNNING, "h1", null,
        List.of(new NicLease("default", ip, "52:54:00:01:00:0" + index)), "running", T0, T0, 2);
  }

  @Test
  void torqueHooksRunOverSshInOrderWithTheirVariables(@TempDir Path dir) throws Exception {
    sshd = TestSshServer.start(dir).otherwise(TestSshServer.exit(0, ""));
    ssh = new SshGuestExec(sshd.clientSettings(Duration.ofSeconds(5), Duration.ofSeconds(10)));
    // Every member's sshd is the test's, on loopback: {{target.name}} only shows the template is rendered per target.
    String guest = "ssh://{{target.name}}@127.0.0.1:" + sshd.port() + "?" + sshd.keyQuery();
    ClusterSpec spec = ClusterSpecReader.parse("""
        name: torque
        guest: "%s"
        roles:
          - name: head
            hooks:
              - {on: onCreate, command: [systemctl, start, pbs_server]}
          - name: compute
            count: 2
            max: 4
            dependsOn: [head]
            hooks:
              - {on: onMemberJoin, runOn: head, command: [qmgr, -c, "create node {{member.hostname}}"]}
              - {on: onMemberJoin, runOn: head, command: [pbsnodes, -c, "{{member.hostname}}"]}
        """.formatted(guest), "test");
    Map<String, Host> hosts = Map.of("h1", new Host("h1", "sim://lab/h1", new HostCapacity(8, 2600, 16384), Map.of(), null,
        PowerModel.linear(100, 200), HostState.UP, "test", T0, 1));
    Map<String, Vm> vms = new java.util.HashMap<>();
    for (Vm v : List.of(member(spec, "head", 1, "10.0.0.2"), member(spec, "compute", 1, "10.0.0.3"), member(spec, "compute", 2, "10.0.0.4"))) {
      vms.put(v.name(), v);
    }
    Snapshot snap = new Snapshot(1, T0, 42, hosts, vms, Map.of(), Map.of(), Map.of());
    Cluster cluster = Cluster.create(spec, "alice", T0);
    ClusterPolicy policy = new ClusterPolicy();
    List<String> targets = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      ClusterPolicy.Decision d = policy.decide(cluster, snap, ClusterPolicy.Observed.NONE);
      if (d.hooks().isEmpty()) {
        break;
      }
      for (HookRun h : d.hooks()) {
        assertThat(h.guest()).startsWith("ssh://" + h.target() + "@127.0.0.1:");
        // A bounded wait on a real process (the embedded server), never a sleep.
        ExecResult r = ssh.exec(h.guest(), h.command(), h.timeout()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        targets.add(h.target());
        cluster = cluster.withHook(new HookOutcome(h.key(), h.target(), h.command(), r.exitCode(), r.stdout(), 1, r.ok(), !r.ok(), T0));
      }
    }
    assertThat(sshd.commands()).containsExactly(
        "systemctl start pbs_server",
        "qmgr -c 'create node torque-compute-1'", "qmgr -c 'create node torque-compute-2'",
        "pbsnodes -c torque-compute-1", "pbsnodes -c torque-compute-2");
    assertThat(targets).containsOnly("torque-head-1");
    assertThat(policy.decide(cluster, snap, ClusterPolicy.Observed.NONE).converged()).isTrue();
  }
}
