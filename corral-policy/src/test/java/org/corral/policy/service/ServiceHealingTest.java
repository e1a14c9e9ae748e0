package org.corral.policy.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.image.Image;
import org.corral.model.plan.Action;
import org.corral.model.plan.RecordingPlanner;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.ServiceObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.ServiceCheck;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.Scheduler;
import org.corral.policy.placement.SchedulerSettings;
import org.corral.policy.service.ServiceEscalation.History;
import org.corral.policy.service.ServiceEscalation.Step;
import org.corral.policy.service.ServiceHealing.VmRestart;
import org.junit.jupiter.api.Test;

/** Each escalation step as the actions it becomes, on explicit snapshots; a VM restart in its two phases; dependants. */
class ServiceHealingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ServiceHealing healing = new ServiceHealing(ServiceEscalation.DEFAULT, new Scheduler(SchedulerSettings.DEFAULT));
  private final Map<String, Host> hosts = new HashMap<>();
  private final Map<String, Vm> vms = new HashMap<>();
  private final Map<String, Image> images = new HashMap<>();
  private final Map<String, HostObservation> observed = new HashMap<>();
  private final Map<String, History> histories = new HashMap<>();
  private final Map<String, ServiceObservation> checks = new HashMap<>();

  private static final ServiceCheck WEB = ServiceCheck.script("web", List.of("/c/web"), List.of());
  private static final ServiceCheck APP = ServiceCheck.script("app", List.of("/c/app"), List.of("web"));
  private static final ServiceCheck SSH = ServiceCheck.tcp("ssh", 22, List.of(), List.of());

  ServiceHealingTest() {
    for (String h : List.of("node1", "node2")) {
      hosts.put(h, new Host(h, "sim://lab/" + h, new HostCapacity(8, 2600, 32768), Map.of(), new PowerSpec("sim://", null, null),
          PowerModel.linear(100, 200), HostState.UP, "test", T0, 1));
      observed.put(h, HostObservation.answeredAt(T0, HostMetrics.NONE));
    }
  }

  private void vm(String name, VmState state, VmSpec spec) {
    vms.put(name, new Vm(name, "uuid-" + name, spec, "alice", state, DesiredState.RUNNING, "node1", null, List.of(), "x", T0, T0, 3));
  }

  private void failing(String vm, ServiceCheck c, int failures, Step taken) {
    histories.put(Snapshot.serviceKey(vm, c.name()), new History(failures, taken, c.restartable(), List.of()));
    checks.put(Snapshot.serviceKey(vm, c.name()),
        new ServiceObservation(vm, c.name(), ServiceObservation.Status.CRITICAL, "exit 2: refused", T0));
  }

  private ServiceHealing.Decision decide(Set<String> busy, Map<String, VmRestart> restarting) {
    Snapshot s = new Snapshot(7, T0, 1, hosts, vms, Map.of(), images, observed).withServiceObservations(checks);
    return healing.decide(s, new RecordingPlanner(busy::contains), k -> histories.getOrDefault(k, History.healthy(true)), restarting);
  }

  private ServiceHealing.Decision decide() {
    return decide(Set.of(), Map.of());
  }

  @Test
  void healthyServicesGiveNothing() {
    vm("web1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB, APP)));
    ServiceHealing.Decision d = decide();
    assertThat(d.plan().actions()).isEmpty();
    assertThat(d.taken()).isEmpty();
    assertThat(d.verdicts()).containsOnlyKeys("web1/web", "web1/app");
  }

  @Test
  void aServiceRestartRestartsItsDependantsAfterItWithTheCheckAsReason() {
    vm("web1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB, APP)));
    failing("web1", WEB, 3, Step.NONE);

    ServiceHealing.Decision d = decide();

    Action.RestartService r = (Action.RestartService) d.plan().actions().getFirst();
    assertThat(d.plan().actions()).hasSize(1);
    assertThat(r.key()).isEqualTo("service-restart/web1/web/" + T0.toEpochMilli());
    assertThat(r.services()).containsExactly("web", "app");
    assertThat(r.host()).isEqualTo("node1");
    assertThat(r.cause().reason()).isEqualTo(
        "service web of web1: 3 failed checks in a row: restart the service (last check: exit 2: refused)");
    assertThat(d.taken()).extracting(ServiceHealing.Taken::step).containsExactly(Step.RESTART_SERVICE);
  }

  @Test
  void aVmRestartStopsItThenStartsItInPlaceOnceStopped() {
    vm("web1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB)));
    failing("web1", WEB, 6, Step.RESTART_SERVICE);

    ServiceHealing.Decision stop = decide();
    assertThat(stop.plan().actions()).singleElement().isInstanceOfSatisfying(Action.StopVm.class, s -> {
      assertThat(s.key()).isEqualTo("service-stop/web1/3");
      assertThat(s.force()).isFalse();
    });
    VmRestart r = stop.restarts().get("web1");
    assertThat(r).isEqualTo(new VmRestart("web1", "node1", false, false, stop.taken().getFirst().reason()));

    // While the stop runs: nothing; the restart is kept.
    assertThat(decide(Set.of("web1"), stop.restarts()).restarts()).containsKey("web1");
    vm("web1", VmState.STOPPED, VmSpec.of(1, 512).withServices(List.of(WEB)));
    ServiceHealing.Decision start = decide(Set.of(), stop.restarts());
    assertThat(start.plan().actions()).singleElement().isInstanceOfSatisfying(Action.StartVm.class, s -> {
      assertThat(s.key()).isEqualTo("service-start/web1/3");
      assertThat(s.host()).isEqualTo("node1");
    });
    assertThat(start.restarts().get("web1").started()).isTrue();
    // Once it runs again, the restart is over (the loop recorded the step in the history).
    failing("web1", WEB, 6, Step.RESTART_VM);
    vm("web1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB)));
    assertThat(decide(Set.of(), start.restarts()).restarts()).isEmpty();
  }

  @Test
  void aServiceThatCannotRestartItselfStartsWithTheVm() {
    vm("web1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(SSH)));
    failing("web1", SSH, 3, Step.NONE);
    assertThat(decide().plan().actions()).singleElement().isInstanceOf(Action.StopVm.class);
  }

  @Test
  void recreationGoesToAnotherHostOrInPlaceWhenItsDiskIsLocal() {
    vm("web1", VmState.STOPPED, VmSpec.of(1, 512).withServices(List.of(WEB)));
    Map<String, VmRestart> r = Map.of("web1", new VmRestart("web1", "node1", true, false, "9 failed checks"));

    assertThat(decide(Set.of(), r).plan().actions()).singleElement().isInstanceOfSatisfying(Action.RecoverVm.class, a -> {
      assertThat(a.key()).isEqualTo("service-recreate/web1/3");
      assertThat(a.from()).isEqualTo("node1");
      assertThat(a.to()).isEqualTo("node2");
    });

    images.put("local", new Image("local", "default", "l.qcow2", "qcow2", 10, false));
    vm("web1", VmState.STOPPED, VmSpec.of(1, 512).withServices(List.of(WEB)).withDisks(List.of(new DiskSpec("local", 0))));
    ServiceHealing.Decision d = decide(Set.of(), r);
    assertThat(d.plan().actions()).singleElement().isInstanceOf(Action.StartVm.class);
    assertThat(d.plan().notes()).containsExactly("web1: not recreated elsewhere (its disk local is on local storage): restarted in place");
  }

  @Test
  void givingUpHasNoActionAndFlappingHoldsRestartsBack() {
    vm("web1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB)));
    failing("web1", WEB, 12, Step.RECREATE_ELSEWHERE);
    ServiceHealing.Decision d = decide();
    assertThat(d.plan().actions()).isEmpty();
    assertThat(d.taken()).extracting(ServiceHealing.Taken::step).containsExactly(Step.GIVE_UP);

    List<Instant> five = List.of(T0.minusSeconds(50), T0.minusSeconds(40), T0.minusSeconds(30), T0.minusSeconds(20), T0.minusSeconds(10));
    histories.put("web1/web", new History(3, Step.NONE, true, five));
    ServiceHealing.Decision paused = decide();
    assertThat(paused.plan().actions()).isEmpty();
    assertThat(paused.taken()).isEmpty();
    assertThat(paused.verdicts().get("web1/web").action()).isEqualTo(ServiceEscalation.Action.PAUSED);
    assertThat(paused.verdicts().get("web1/web").until()).isEqualTo(T0.minusSeconds(10).plus(Duration.ofMinutes(10)));
  }

  @Test
  void aVmThatIsBusyOrNotRunningIsLeftAlone() {
    vm("web1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB)));
    failing("web1", WEB, 3, Step.NONE);
    assertThat(decide(Set.of("web1"), Map.of()).plan().actions()).isEmpty();
    vm("web1", VmState.MIGRATING, VmSpec.of(1, 512).withServices(List.of(WEB)));
    assertThat(decide().plan().actions()).isEmpty();
  }

  @Test
  void afterAVmRestartTheServicesOfTheVmsThatDependOnItRestart() {
    vm("db1", VmState.RUNNING, VmSpec.of(1, 512));
    vm("app1", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB, APP, SSH)).withDependsOn(List.of("db1")));
    vm("other", VmState.RUNNING, VmSpec.of(1, 512).withServices(List.of(WEB)));

    ServiceHealing.Decision d = decide(Set.of(), Map.of("db1", new VmRestart("db1", "node1", false, true, "6 failed checks")));

    assertThat(d.plan().actions()).singleElement().isInstanceOfSatisfying(Action.RestartService.class, a -> {
      assertThat(a.key()).isEqualTo("dependants-restart/app1/db1/3");
      assertThat(a.services()).containsExactly("web", "app"); // ssh cannot be restarted by itself
      assertThat(a.cause().reason()).isEqualTo("db1 was restarted (6 failed checks); app1 depends on it: its services restart after it");
    });
    assertThat(d.restarts()).isEmpty();
  }
}
