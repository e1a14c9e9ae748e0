package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.corral.controller.config.ClusterSpecReader;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;
import org.corral.drivers.sim.SimGuestExec;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.InvalidInputException;
import org.corral.model.cluster.Cluster;
import org.corral.model.cluster.ClusterDesire;
import org.corral.model.cluster.ClusterPhase;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.image.Image;
import org.corral.model.vm.VmState;
import org.corral.policy.cluster.ClusterPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The examples end to end on the simulated lab (virtual time): members boot on the sim driver,
 * hooks run through the sim guest-exec transport (recorded here) in order with their variables,
 * a killed member is replaced and registered again, scale down drains, stop and delete touch
 * only the cluster's VMs, and a restarted controller finds its clusters in the store.
 */
class ClusterReconcilerTest {
  private final LabHarness lab = new LabHarness(4, SimLatencies.DEFAULT);
  /** "domain: argv" of every command run in a guest, in order. */
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
  /** What the TORQUE head's queue probe prints (jobs waiting); the probe's runs are counted, not recorded in {@link #ran}. */
  private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger queueProbes = new java.util.concurrent.atomic.AtomicInteger();

  private SimGuestExec guests;

  @BeforeEach
  void start() {
    lab.moreDrivers = d -> {
      SimGuestExec sim = new SimGuestExec(lab.dc);
      guests = sim;
      d.guest(new GuestExec() {
        @Override
        public Set<String> schemes() {
          return sim.schemes();
        }

        @Override
        public CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout) {
          if (argv.equals(List.of("/usr/local/bin/torque-queued"))) {
            queueProbes.incrementAndGet();
            return java.util.concurrent.CompletableFuture.completedFuture(new ExecResult(0, queued.get() + "\n", ""));
          }
          ran.add(targetUri.substring(targetUri.indexOf('#') + 1) + ": " + String.join(" ", argv));
          return sim.exec(targetUri, argv, timeout);
        }
      });
      // The simulated guests "listen": TCP and HTTP checks reach them (recorded).
      d.probe(new org.corral.drivers.probe.Probe() {
        @Override
        public Set<String> schemes() {
          return Set.of("tcp", "http");
        }

        @Override
        public CompletionStage<org.corral.drivers.probe.ProbeResult> check(String targetUri, Duration timeout) {
          ran.add("probe " + targetUri);
          return java.util.concurrent.CompletableFuture.completedFuture(new org.corral.drivers.probe.ProbeResult(true, "open", Duration.ZERO));
        }
      });
    };
    lab.startWithInventory();
    lab.cmd().createImage(new Image("debian-12", "default", "debian-12.qcow2", "qcow2", 10, true), "test");
    lab.cmd().createImage(new Image("appscale-1-6", "default", "appscale.qcow2", "qcow2", 10, true), "test");
  }

  private static ClusterSpec example(String name) throws IOException {
    return ClusterSpecReader.parse(Files.readString(Path.of("../examples/" + name)), name);
  }

  private ClusterReconciler clusters() {
    return lab.controller.clusters();
  }

  private Cluster cluster(String name) {
    return clusters().require(name);
  }

  private void untilPhase(String name, ClusterPhase phase) {
    lab.until(name + " " + phase, () -> cluster(name).condition().phase() == phase, Duration.ofMinutes(10));
  }

  private List<String> ranOn(String prefix) {
    synchronized (ran) {
      return ran.stream().filter(s -> s.startsWith(prefix)).toList();
    }
  }

  @org.junit.jupiter.api.AfterEach
  void dump() {
    if (Boolean.getBoolean("dumpClusters") && lab.controller != null) {
      clusters().clusters().forEach(c -> System.err.println("DUMP " + c.name() + " " + c.condition() + "\n  " + String.join("\n  ", c.history())));
      lab.controller.state().vms().forEach(v -> System.err.println("DUMP vm " + v.name() + " " + v.state() + " " + v.stateReason()));
      System.err.println("DUMP " + lab.journalText().lines().filter(l -> l.contains("compute-2") || l.contains("master-1")).toList());
    }
  }

  @Test
  void torqueDeploysInOrderRegistersComputeNodesReplacesALostOneAndDrainsOnScaleDown() throws IOException {
    ClusterSpec spec = example("torque.yaml");
    clusters().apply(spec, "alice", "alice");
    untilPhase("torque", ClusterPhase.RUNNING);

    assertThat(lab.vm("torque-head-1").state()).isEqualTo(VmState.RUNNING);
    assertThat(lab.vm("torque-compute-3").spec().labels()).containsEntry(ClusterSpec.CLUSTER_LABEL, "torque");
    List<String> hostsOfCompute = List.of(lab.vm("torque-compute-1").host(), lab.vm("torque-compute-2").host(), lab.vm("torque-compute-3").host());
    assertThat(Set.copyOf(hostsOfCompute)).as("anti-affinity by default for a role with several members").hasSize(3);
    List<String> head = ranOn("torque-head-1");
    assertThat(head.get(0)).isEqualTo("torque-head-1: systemctl start pbs_server pbs_sched");
    assertThat(head).contains("torque-head-1: qmgr -c create node torque-compute-1", "torque-head-1: pbsnodes -c torque-compute-1",
        "torque-head-1: qmgr -c create node torque-compute-3");
    assertThat(head.indexOf("torque-head-1: qmgr -c create node torque-compute-2"))
        .isLessThan(head.indexOf("torque-head-1: pbsnodes -c torque-compute-2"));
    assertThat(ran).contains("torque-compute-2: /usr/local/bin/torque-mom --server=torque-head-1");
    assertThat(ran.indexOf("torque-head-1: pbs_server_started_check")).isEqualTo(-1);
    // Each compute node's NoCloud user data is rendered with its own name and lease and the head's.
    var compute2 = lab.vm("torque-compute-2");
    String userData = lab.dc.host(java.util.Objects.requireNonNull(compute2.host())).orElseThrow().userData("torque-compute-2").orElseThrow();
    assertThat(userData).startsWith("#cloud-config\n").contains("hostname: torque-compute-2\n")
        .contains("content: \"torque-head-1\\n\"")
        .contains(compute2.leases().get(0).ip() + " torque-compute-2\\n" + lab.vm("torque-head-1").leases().get(0).ip() + " torque-head-1")
        .doesNotContain("{{");
    assertThat(compute2.spec().userData()).isEqualTo(userData);

    // apply is idempotent
    long version = cluster("torque").version();
    clusters().apply(spec, "alice", "alice");
    assertThat(cluster("torque").version()).isEqualTo(version);

    // A member is killed: it is unregistered, replaced and registered again.
    ran.clear();
    String lostUuid = lab.vm("torque-compute-2").uuid();
    lab.dc.crashDomain(lab.vm("torque-compute-2").host(), "torque-compute-2");
    lab.until("compute-2 replaced", () -> {
      var v = lab.controller.state().vm("torque-compute-2").orElse(null);
      return v != null && !v.uuid().equals(lostUuid) && v.state() == VmState.RUNNING
          && ranOn("torque-head-1").contains("torque-head-1: pbsnodes -c torque-compute-2");
    }, Duration.ofMinutes(10));
    assertThat(ranOn("torque-head-1")).containsSubsequence("torque-head-1: qmgr -c delete node torque-compute-2",
        "torque-head-1: qmgr -c create node torque-compute-2", "torque-head-1: pbsnodes -c torque-compute-2");
    untilPhase("torque", ClusterPhase.RUNNING);

    // Scale down: compute-3 drains (offline, wait idle, delete node on the head), then goes.
    ran.clear();
    clusters().scale("torque", "compute", 2, "alice");
    assertThat(cluster("torque").scaledAt("compute")).as("a manual scale starts the elasticity cool-down").isEqualTo(lab.clock.now());
    lab.until("compute-3 gone", () -> lab.controller.state().vm("torque-compute-3").isEmpty(), Duration.ofMinutes(10));
    assertThat(ranOn("torque-head-1")).containsExactly("torque-head-1: pbsnodes -o torque-compute-3",
        "torque-head-1: /usr/local/bin/torque-wait-idle torque-compute-3", "torque-head-1: qmgr -c delete node torque-compute-3");
    untilPhase("torque", ClusterPhase.RUNNING);
    assertThatThrownBy(() -> clusters().scale("torque", "compute", 11, "alice"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("max 10");
  }

  @Test
  void theStudysSupervisorRestartsAFailedServiceAndHandsAServiceThatWillNotStartToTheClusterAfterItsPause() throws IOException {
    String yaml = Files.readString(Path.of("../examples/torque.yaml")).replace("    dependsOn: [head]\n", """
            dependsOn: [head]
            antiAffinity: false
            health:
              - exec: [pgrep, pbs_mom]
                supervisor: zaragoza
                restart: [systemctl, restart, pbs_mom]
        """).replace("    count: 3\n", "    count: 2\n");
    queued.set(5); // neither elasticity rule holds: the count stays 2
    clusters().apply(ClusterSpecReader.parse(yaml, "torque.yaml"), "alice", "alice");
    untilPhase("torque", ClusterPhase.RUNNING);
    // compute-1's pbs_mom dies; a restart brings it back.
    java.util.concurrent.atomic.AtomicBoolean mom1 = new java.util.concurrent.atomic.AtomicBoolean(false);
    guests.onExec("torque-compute-1", argv -> argv.equals(List.of("pgrep", "pbs_mom")) && !mom1.get() ? new ExecResult(1, "", "")
        : argv.equals(List.of("systemctl", "restart", "pbs_mom")) && mom1.compareAndSet(false, true) ? new ExecResult(0, "", "")
        : new ExecResult(0, "", ""));
    String uuid1 = lab.vm("torque-compute-1").uuid();
    lab.until("pbs_mom restarted", mom1::get, Duration.ofSeconds(61));
    assertThat(ranOn("torque-compute-1")).contains("torque-compute-1: systemctl restart pbs_mom");
    lab.run(Duration.ofMinutes(2));
    assertThat(lab.vm("torque-compute-1").uuid()).as("a service restart, not a new member").isEqualTo(uuid1);
    assertThat(cluster("torque").history()).anyMatch(l -> l.contains("supervisor zaragoza: torque-compute-1 pgrep pbs_mom failed; starting it"));

    // compute-2's pbs_mom will not start: tried every 15 s, five tries in a minute pause it 10 minutes, then the member is replaced.
    java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
    guests.onExec("torque-compute-2", argv -> broken.get() && (argv.get(0).equals("pgrep") || argv.get(0).equals("systemctl"))
        ? new ExecResult(1, "", "failed") : new ExecResult(0, "", ""));
    String uuid2 = lab.vm("torque-compute-2").uuid();
    Instant brokeAt = lab.clock.now();
    lab.until("compute-2 paused", () -> cluster("torque").history().stream().anyMatch(l -> l.contains("torque-compute-2") && l.contains("flapping")),
        Duration.ofMinutes(3));
    long tries = ranOn("torque-compute-2").stream().filter(l -> l.endsWith("systemctl restart pbs_mom")).count();
    assertThat(tries).as("5 starts within a minute, then the pause").isEqualTo(5);
    lab.run(Duration.ofMinutes(9));
    assertThat(lab.vm("torque-compute-2").uuid()).as("no change during the 10-minute pause").isEqualTo(uuid2);
    assertThat(ranOn("torque-compute-2").stream().filter(l -> l.endsWith("systemctl restart pbs_mom")).count()).isEqualTo(5);
    lab.until("compute-2 replaced", () -> {
      var v = lab.controller.state().vm("torque-compute-2").orElse(null);
      if (v != null && !v.uuid().equals(uuid2)) {
        broken.set(false);
        return true;
      }
      return false;
    }, Duration.ofMinutes(5));
    assertThat(Duration.between(brokeAt, lab.clock.now())).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(cluster("torque").history()).anyMatch(l -> l.contains("torque-compute-2") && l.contains("the member is replaced"));
    untilPhase("torque", ClusterPhase.RUNNING);
  }

  @Test
  void torqueComputeGrowsWithTheQueueAndShrinksWithDrainWhenItEmpties() throws IOException {
    // The lab has 4 hosts: compute nodes share them here (the example spreads them, one per host).
    String yaml = Files.readString(Path.of("../examples/torque.yaml")).replace("    dependsOn: [head]\n", "    dependsOn: [head]\n    antiAffinity: false\n");
    clusters().apply(ClusterSpecReader.parse(yaml, "torque.yaml"), "alice", "alice");
    untilPhase("torque", ClusterPhase.RUNNING);
    assertThat(cluster("torque").count("compute")).isEqualTo(3);
    // Recommend mode: plan with a rule that holds on the periods measured so far shows what elasticity would change.
    lab.run(Duration.ofSeconds(100));
    List<java.util.Map<String, Double>> periods = clusters().metrics("torque", "compute").periods();
    assertThat(periods).as("periods measured").hasSizeGreaterThanOrEqualTo(2);
    assertThat(periods.get(periods.size() - 1)).containsEntry("queue.max", 0.0);
    assertThat(periods.get(periods.size() - 2)).containsEntry("queue.max", 0.0);
    ClusterSpec eager = ClusterSpecReader.parse(yaml.replace("\"queue.max > 10\"", "\"queue.max < 5.0\"").replace("adjust: +2", "adjust: +1"), "torque.yaml");
    ClusterPolicy.Decision preview = clusters().preview(eager, "alice");
    assertThat(preview.plan().notes()).anyMatch(n -> n.contains("elasticity would scale compute from 3 to 4: rules[0] \"queue.max < 5.0\" held for 2 periods"));
    assertThat(preview.create()).extracting(org.corral.policy.cluster.MemberRequest::name).contains("torque-compute-4");
    assertThat(clusters().preview(ClusterSpecReader.parse(yaml, "torque.yaml"), "alice").create()).as("no rule of the applied spec holds").isEmpty();
    assertThat(cluster("torque").count("compute")).as("a preview changes nothing").isEqualTo(3);
    // 20 jobs waiting: after two periods (30 s) over 10 the role grows by 2.
    queued.set(20);
    Instant rising = lab.clock.now();
    lab.until("grown to 5", () -> cluster("torque").count("compute") == 5, Duration.ofMinutes(3));
    Instant first = java.util.Objects.requireNonNull(cluster("torque").scaledAt("compute"));
    assertThat(Duration.between(rising, first)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(95));
    assertThat(cluster("torque").history()).anyMatch(l -> l.contains("compute scaled from 3 to 5: rules[0] \"queue.max > 10\" held for 2 periods"));
    // Grown and still over 10: the role reports its cool-down as its condition; the cluster stays RUNNING.
    lab.until("compute cooling down", () -> cluster("torque").roles().get("compute").phase() == ClusterPhase.COOLDOWN, Duration.ofMinutes(2));
    assertThat(cluster("torque").roles().get("compute").reason()).contains("5 of 5 members ready", "elasticity: rules[0]", "cooling down until");
    assertThat(cluster("torque").condition().phase()).isEqualTo(ClusterPhase.RUNNING);
    assertThat(clusters().metrics("torque", "compute").elasticity()).isEqualTo("COOLDOWN");
    assertThat(clusters().preview(ClusterSpecReader.parse(yaml, "torque.yaml"), "alice").plan().notes())
        .anyMatch(n -> n.contains("elasticity of compute: rules[0]") && n.contains("cooling down until"));
    // Still 20 waiting: the next step waits out the 3-minute cool-down, then grows to 7 (new nodes registered on the head).
    lab.until("grown to 7", () -> cluster("torque").count("compute") == 7, Duration.ofMinutes(6));
    Instant second = java.util.Objects.requireNonNull(cluster("torque").scaledAt("compute"));
    assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMinutes(3));
    untilPhase("torque", ClusterPhase.RUNNING);
    assertThat(lab.vm("torque-compute-7").state()).isEqualTo(VmState.RUNNING);
    assertThat(ranOn("torque-head-1")).contains("torque-head-1: qmgr -c create node torque-compute-7");
    // The queue empties and the nodes idle: after 10 periods (and the 5-minute cool-down of the shrink rule) one node
    // leaves at a time, drained on the head first, highest index first.
    queued.set(0);
    lab.until("shrunk to 6", () -> cluster("torque").count("compute") == 6, Duration.ofMinutes(12));
    Instant third = java.util.Objects.requireNonNull(cluster("torque").scaledAt("compute"));
    assertThat(Duration.between(second, third)).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    lab.until("compute-7 gone", () -> lab.controller.state().vm("torque-compute-7").isEmpty(), Duration.ofMinutes(10));
    assertThat(ranOn("torque-head-1")).containsSubsequence("torque-head-1: pbsnodes -o torque-compute-7",
        "torque-head-1: /usr/local/bin/torque-wait-idle torque-compute-7", "torque-head-1: qmgr -c delete node torque-compute-7");
    lab.until("shrunk to 5", () -> cluster("torque").count("compute") == 5, Duration.ofMinutes(12));
    Instant fourth = java.util.Objects.requireNonNull(cluster("torque").scaledAt("compute"));
    assertThat(Duration.between(third, fourth)).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(queueProbes.get()).isPositive();
  }

  @Test
  void stopAndDeleteTouchOnlyTheClustersVmsAndTheClusterSurvivesARestart() throws IOException {
    lab.cmd().createVm(org.corral.controller.command.VmRequest.of("bystander", 1, 512), "bob");
    ClusterSpec appscale = example("appscale.yaml");
    clusters().apply(appscale, "alice", "alice");
    untilPhase("appscale", ClusterPhase.RUNNING);
    assertThat(clusters().members("appscale")).extracting(v -> v.name())
        .containsExactlyInAnyOrder("appscale-master-1", "appscale-database-1", "appscale-appengine-1", "appscale-open-1", "appscale-open-2");
    assertThat(ranOn("appscale-master-1")).contains("appscale-master-1: appscale-add-instance " + lab.vm("appscale-open-1").leases().get(0).ip());

    clusters().desire("appscale", ClusterDesire.STOPPED, "alice");
    untilPhase("appscale", ClusterPhase.DONE);
    assertThat(lab.vm("appscale-master-1").state()).isEqualTo(VmState.STOPPED);
    assertThat(lab.vm("bystander").state()).isEqualTo(VmState.RUNNING);

    // The cluster is in the store: a new controller over it knows it.
    var store = lab.store;
    lab.kill();
    lab.start(store);
    assertThat(cluster("appscale").desire()).isEqualTo(ClusterDesire.STOPPED);

    clusters().desire("appscale", ClusterDesire.DELETED, "alice");
    lab.until("appscale deleted", () -> clusters().clusters().isEmpty(), Duration.ofMinutes(10));
    assertThat(lab.controller.state().vm("appscale-master-1")).isEmpty();
    assertThat(lab.vm("bystander").state()).isEqualTo(VmState.RUNNING);
  }

  @Test
  void webKeepsTheBalancersUpstreamsInStepAndPlanChangesNothing() throws IOException {
    ClusterSpec web = example("web.yaml");
    var preview = clusters().preview(web, "alice");
    assertThat(preview.create()).extracting(m -> m.name()).containsExactly("web-db-1");
    assertThat(clusters().clusters()).isEmpty();
    assertThat(lab.controller.state().vm("web-db-1")).isEmpty();

    clusters().apply(web, "alice", "alice");
    untilPhase("web", ClusterPhase.RUNNING);
    String db = lab.vm("web-db-1").leases().get(0).ip();
    String app1 = lab.vm("web-app-1").leases().get(0).ip();
    String app2 = lab.vm("web-app-2").leases().get(0).ip();
    assertThat(ran).contains("probe tcp://" + db + ":5432", "probe http://" + app1 + ":8080/health");
    assertThat(ran).contains("web-app-1: /usr/local/bin/web-configure --db=" + db + " --name=web-app-1");
    assertThat(ranOn("web-balancer-1")).contains("web-balancer-1: /usr/local/bin/lb-upstreams " + app1 + " " + app2);
    assertThat(ran.indexOf("probe tcp://" + db + ":5432")).as("the database is ready before the web servers are configured")
        .isLessThan(ran.indexOf("web-app-1: /usr/local/bin/web-configure --db=" + db + " --name=web-app-1"));

    clusters().scale("web", "app", 3, "alice");
    lab.until("app-3 joined", () -> ranOn("web-balancer-1").stream().anyMatch(s -> s.split(" ").length == 5), Duration.ofMinutes(5));
    String app3 = lab.vm("web-app-3").leases().get(0).ip();
    assertThat(ranOn("web-balancer-1")).contains("web-balancer-1: /usr/local/bin/lb-upstreams " + app1 + " " + app2 + " " + app3);
    untilPhase("web", ClusterPhase.RUNNING);
  }
}
