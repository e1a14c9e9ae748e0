package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.corral.controller.ControllerSettings;
import org.corral.controller.ServiceSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.notify.Webhook;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.InvalidInputException;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.vm.ServiceCheck;
import org.corral.model.vm.ServiceState;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service checks wired end to end on the simulated lab, on virtual time: a failing service
 * walks the whole escalation, a flapping one pauses, and VMs that depend on others start after
 * them and have their services restarted after them.
 */
class ServiceLoopTest {
  private static final ExecResult OK = new ExecResult(0, "", "");
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** A lab of three hosts with these service settings and notification channels, started with its inventory. */
  private LabHarness started(ServiceSettings services, List<org.corral.controller.notify.Channel> hooks) {
    ControllerSettings base = LabHarness.fastSettings();
    var g = base.guardian();
    LabHarness lab = new LabHarness(3, SimLatencies.INSTANT, base.withGuardian(
        new org.corral.controller.GuardianSettings(g.beat(), g.suspectAfter(), g.downAfter(), g.crashRestarts(), hooks, g.retry(), services, g.softFencing())));
    lab.startWithInventory();
    open.add(lab.controller);
    return lab;
  }

  /** {@code perStep} failed checks per step, checks every 2 s; flapping as the defaults (5 restarts in 1 min, 10 min pause). */
  private static ServiceSettings fast(int perStep) {
    return ServiceSettings.of(perStep, 5, Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  private static VmRequest web(String name) {
    return VmRequest.of(name, 1, 1024).withServices(List.of(
        ServiceCheck.script("web", List.of("/etc/corral/checks/web"), List.of()),
        ServiceCheck.script("app", List.of("/etc/corral/checks/app"), List.of("web"))));
  }

  private static List<JournalEntry> succeeded(LabHarness lab, String prefix) {
    return lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_SUCCEEDED && e.actionKey() != null
        && e.actionKey().startsWith(prefix)).toList();
  }

  private static ServiceState state(LabHarness lab, String vm, String service) {
    return lab.controller.services().published(vm).stream().filter(s -> s.name().equals(service)).findFirst()
        .orElse(ServiceState.unchecked(service));
  }

  @Test
  void aFailingServiceWalksTheWholeEscalationAndAdministratorsAreTold() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/hook", x -> {
      got.add(x.getRequestHeaders().getFirst("X-Corral-Event") + " " + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
    open.add(() -> http.stop(0));
    Webhook hook = new Webhook(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/hook"),
        "k".getBytes(StandardCharsets.UTF_8), Set.of(), Duration.ofSeconds(5));
    LabHarness lab = started(fast(2), List.of(hook));
    List<String> ran = new CopyOnWriteArrayList<>();
    // web fails every check, whatever is restarted; app is healthy.
    lab.guest.onExec("web1", argv -> {
      ran.add(String.join(" ", argv));
      return argv.equals(List.of("/etc/corral/checks/web")) ? new ExecResult(2, "nginx: connection refused\nmore", "") : OK;
    });
    lab.cmd().createVm(web("web1"), "t");
    lab.untilVm("web1", VmState.RUNNING, Duration.ofMinutes(1));
    String first = lab.vm("web1").host();
    Instant running = lab.clock.now();
    // No check before the VM has run one check interval.
    assertThat(ran).isEmpty();

    lab.until("web given up", () -> state(lab, "web1", "web").state() == ServiceState.State.GAVE_UP, Duration.ofMinutes(5));

    // Each step once, in order: the service (with app, which depends on it), the VM in place, the VM elsewhere.
    JournalEntry restart = succeeded(lab, "service-restart/web1/web/").getFirst();
    JournalEntry stop = succeeded(lab, "service-stop/web1/").getFirst();
    JournalEntry start = succeeded(lab, "service-start/web1/").getFirst();
    JournalEntry recreate = succeeded(lab, "service-recreate/web1/").getFirst();
    assertThat(succeeded(lab, "service-restart/")).hasSize(1);
    assertThat(succeeded(lab, "service-start/")).hasSize(1);
    assertThat(succeeded(lab, "service-recreate/")).hasSize(1);
    assertThat(restart.seq()).isLessThan(stop.seq());
    assertThat(stop.seq()).isLessThan(start.seq());
    assertThat(start.seq()).isLessThan(recreate.seq());
    assertThat(restart.at()).isAfterOrEqualTo(running.plusSeconds(2));
    assertThat(restart.cause().reason()).contains("service web of web1", "restart the service", "exit 2: nginx: connection refused");
    assertThat(ran).containsSubsequence("/etc/corral/checks/web restart", "/etc/corral/checks/app restart");
    assertThat(recreate.cause().reason()).contains("recreate the VM on another host");
    assertThat(lab.vm("web1").state()).isEqualTo(VmState.RUNNING);
    assertThat(lab.vm("web1").host()).isNotEqualTo(first);
    // The VM restarts are the service's, not crashes: the Guardian restarted nothing itself.
    assertThat(succeeded(lab, "restart/")).isEmpty();
    assertThat(succeeded(lab, "restart-elsewhere/")).isEmpty();

    ServiceState gaveUp = state(lab, "web1", "web");
    assertThat(gaveUp.failures()).isGreaterThanOrEqualTo(8);
    assertThat(gaveUp.restarts()).isEqualTo(3);
    assertThat(gaveUp.reason()).isEqualTo("exit 2: nginx: connection refused");
    assertThat(state(lab, "web1", "app").state()).isEqualTo(ServiceState.State.HEALTHY);
    assertThat(lab.journal()).filteredOn(e -> e.kind() == EntryKind.GUARDIAN_NOTE && e.message().startsWith("give-up:")).hasSize(1)
        .allSatisfy(e -> assertThat(e.subject()).isEqualTo("web1"));
    // Nothing more is done once given up.
    int actions = lab.journal().size();
    lab.run(Duration.ofMinutes(2));
    assertThat(lab.journal().stream().skip(actions).filter(e -> e.kind() == EntryKind.ACTION_STARTED)).isEmpty();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(got).anySatisfy(m ->
        assertThat(m).startsWith("guardian.escalation ").contains("\"subject\":\"web1\"", "give-up: service web of web1")));
  }

  /** web1 with one service whose every other check fails, run until its restarts are paused for flapping. */
  private LabHarness flappingUntilPaused() {
    LabHarness lab = started(fast(1), List.of());
    AtomicInteger checks = new AtomicInteger();
    // Every other check fails: each failure is a fresh streak, restarted at once (one failure per step).
    lab.guest.onExec("web1", argv -> argv.size() == 1 && checks.incrementAndGet() % 2 == 1 ? new ExecResult(1, "down", "") : OK);
    lab.cmd().createVm(VmRequest.of("web1", 1, 1024).withServices(List.of(ServiceCheck.script("web", List.of("/c/web"), List.of()))), "t");
    lab.untilVm("web1", VmState.RUNNING, Duration.ofMinutes(1));
    lab.until("web paused", () -> state(lab, "web1", "web").state() == ServiceState.State.PAUSED, Duration.ofMinutes(2));
    return lab;
  }

  @Test
  void aFlappingServicePausesTenMinutes() {
    LabHarness lab = flappingUntilPaused();
    List<JournalEntry> restarts = succeeded(lab, "service-restart/web1/web/");
    assertThat(restarts).hasSize(5);
    Instant last = restarts.getLast().at();
    assertThat(last).isBefore(restarts.getFirst().at().plus(Duration.ofMinutes(1)));
    ServiceState paused = state(lab, "web1", "web");
    assertThat(paused.pausedUntil()).isBetween(last.plus(Duration.ofMinutes(10)).minusSeconds(1), last.plus(Duration.ofMinutes(10)).plusSeconds(1));
    assertThat(lab.journal()).anySatisfy(e -> assertThat(e.message()).startsWith("flapping: service web of web1"));

    // No restart during the pause, though checks go on failing; restarts resume after it.
    lab.run(Duration.between(lab.clock.now(), paused.pausedUntil()).minusSeconds(5));
    assertThat(succeeded(lab, "service-restart/web1/web/")).hasSize(5);
    lab.until("restarted after the pause", () -> succeeded(lab, "service-restart/web1/web/").size() > 5, Duration.ofMinutes(1));
    assertThat(succeeded(lab, "service-restart/web1/web/").get(5).at()).isAfterOrEqualTo(paused.pausedUntil());
  }

  @Test
  void vmsStartAfterWhatTheyDependOnAndTheirServicesRestartAfterIt() {
    LabHarness lab = started(fast(1), List.of());
    AtomicInteger dbChecks = new AtomicInteger();
    List<String> ranInApp = new CopyOnWriteArrayList<>();
    // db's service cannot be restarted by itself (a TCP check would not either): its failure restarts the VM.
    lab.guest.onExec("db1", argv -> argv.equals(List.of("/c/db")) && dbChecks.incrementAndGet() == 2
        ? new ExecResult(2, "CRITICAL - no answer", "") : OK);
    lab.guest.onExec("app1", argv -> {
      ranInApp.add(String.join(" ", argv));
      return OK;
    });
    // app1 depends on db1, created in one request after it (db1 held): app1 is placed only once db1 runs.
    lab.cmd().createVms(List.of(
        new VmRequest("db1", 1, 1024L, null, null, null, null, null, null, null, null, null, null, null, true,
            List.of(ServiceCheck.nagios("db", List.of("/c/db"), List.of(), List.of()))),
        VmRequest.of("app1", 1, 1024).withServices(List.of(ServiceCheck.script("app", List.of("/c/app"), List.of())))
            .withDependsOn(List.of("db1"))), "t");
    lab.run(Duration.ofSeconds(10));
    assertThat(lab.vm("app1").state()).isEqualTo(VmState.PENDING);
    assertThat(lab.vm("app1").stateReason()).isEqualTo("waits for db1 (HOLD) to run first (dependsOn)");
    lab.cmd().releaseVm("db1", "t");
    lab.untilVm("app1", VmState.RUNNING, Duration.ofMinutes(1));
    List<JournalEntry> j = lab.journal();
    long dbRuns = j.stream().filter(e -> "db1".equals(e.subject()) && "RUNNING".equals(e.to())).findFirst().orElseThrow().seq();
    long appDeploys = j.stream().filter(e -> e.kind() == EntryKind.ACTION_QUEUED && e.actionKey() != null
        && e.actionKey().startsWith("deploy/app1/")).findFirst().orElseThrow().seq();
    assertThat(appDeploys).as("app1 deployed after db1 runs").isGreaterThan(dbRuns);

    // db's second check fails: db1 is restarted (stop, start), then app1's services are restarted.
    lab.until("app1's services restarted", () -> !succeeded(lab, "dependants-restart/app1/db1/").isEmpty(), Duration.ofMinutes(2));
    assertThat(succeeded(lab, "service-stop/db1/")).hasSize(1);
    long dbStarted = succeeded(lab, "service-start/db1/").getFirst().seq();
    JournalEntry dependants = succeeded(lab, "dependants-restart/app1/db1/").getFirst();
    assertThat(dependants.seq()).isGreaterThan(dbStarted);
    assertThat(dependants.cause().reason()).contains("db1 was restarted", "app1 depends on it");
    assertThat(ranInApp).contains("/c/app restart");
  }

  @Test
  void afterTheGuardianRestartsACrashedVmTheServicesOfItsDependantsRestart() {
    LabHarness lab = started(fast(3), List.of());
    List<String> ranInApp = new CopyOnWriteArrayList<>();
    lab.guest.onExec("app1", argv -> {
      ranInApp.add(String.join(" ", argv));
      return OK;
    });
    lab.cmd().createVm(VmRequest.of("db1", 1, 1024), "t");
    lab.cmd().createVm(VmRequest.of("app1", 1, 1024).withServices(List.of(ServiceCheck.script("app", List.of("/c/app"), List.of())))
        .withDependsOn(List.of("db1")), "t");
    lab.untilVm("app1", VmState.RUNNING, Duration.ofMinutes(1));

    lab.dc.crashDomain(lab.vm("db1").host(), "db1");
    lab.until("app1's services restarted", () -> !succeeded(lab, "dependants-restart/app1/db1/").isEmpty(), Duration.ofMinutes(2));

    assertThat(succeeded(lab, "restart/db1/")).hasSize(1);
    assertThat(succeeded(lab, "dependants-restart/app1/db1/").getFirst().seq()).isGreaterThan(succeeded(lab, "restart/db1/").getFirst().seq());
    assertThat(ranInApp).contains("/c/app restart");
  }

  @Test
  void afterAControllerRestartNothingIsCheckedBeforeOneFullObservationCycle() {
    ControllerSettings base = ControllerSettings.DEFAULT.withPeriods(Duration.ofSeconds(5), Duration.ofSeconds(1));
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT, base.withGuardian(base.guardian().withServices(fast(3))));
    lab.startWithInventory();
    open.add(lab.controller);
    List<Instant> checked = new CopyOnWriteArrayList<>();
    lab.guest.onExec("web1", argv -> {
      if (argv.size() == 1) { // a check (the script with no argument), not a restart
        checked.add(lab.clock.now());
      }
      return new ExecResult(1, "down", "");
    });
    lab.cmd().createVm(VmRequest.of("web1", 1, 1024).withServices(List.of(ServiceCheck.script("web", List.of("/c/web"), List.of()))), "t");
    lab.untilVm("web1", VmState.RUNNING, Duration.ofMinutes(1));
    lab.until("web failing", () -> state(lab, "web1", "web").failures() == 2, Duration.ofMinutes(1));

    lab.kill(); // kill -9: what was only in memory is lost; the histories are in the store
    int before = checked.size();
    Instant restarted = lab.clock.now();
    lab.start(lab.store);
    open.add(lab.controller);
    lab.until("web checked again", () -> state(lab, "web1", "web").state() != ServiceState.State.UNCHECKED, Duration.ofMinutes(1));

    assertThat(checked.get(before))
        .as("first check after the restart, one Monitor period (5 s) after it").isAfterOrEqualTo(restarted.plusSeconds(5));
    assertThat(succeeded(lab, "service-restart/")).as("none before the restart").isEmpty();
    // The streak goes on where it was (2 failed checks, then this one): the third restarts the service
    // (here its restart fails too: every command in this guest exits 1).
    lab.until("a restart of web at its third failure", () -> lab.journal().stream().anyMatch(e -> e.kind() == EntryKind.ACTION_QUEUED
        && e.actionKey() != null && e.actionKey().startsWith("service-restart/web1/web/")), Duration.ofMinutes(1));
    assertThat(checked.size() - before).as("checks after the restart before the service restart").isEqualTo(1);
  }

  @Test
  void aFlappingServiceStaysPausedAcrossAControllerRestart() {
    LabHarness lab = flappingUntilPaused();
    Instant until = state(lab, "web1", "web").pausedUntil();
    assertThat(lab.store.load().meta()).containsKey("service-history/web1/web");

    lab.kill();
    lab.start(lab.store);
    open.add(lab.controller);
    lab.until("web paused again", () -> state(lab, "web1", "web").state() == ServiceState.State.PAUSED, Duration.ofMinutes(1));
    assertThat(state(lab, "web1", "web").pausedUntil()).as("the same pause").isEqualTo(until);
    assertThat(state(lab, "web1", "web").restarts()).as("the restarts made before the restart count").isEqualTo(5);
    lab.run(Duration.between(lab.clock.now(), until).minusSeconds(5));
    assertThat(succeeded(lab, "service-restart/web1/web/")).as("none during the pause").hasSize(5);

    // Deleting the VM drops its histories from the store.
    lab.cmd().deleteVm("web1", "t");
    lab.until("web1 gone with its history", () -> !lab.store.load().meta().containsKey("service-history/web1/web"), Duration.ofMinutes(2));
  }

  @Test
  void aStoredHistoryReadsBackAsItWasAndAnUnreadableOneIsNone() {
    var h = new org.corral.policy.service.ServiceEscalation.History(4, org.corral.policy.service.ServiceEscalation.Step.RESTART_VM, true,
        List.of(Instant.parse("2026-01-01T00:00:01.250Z"), Instant.parse("2026-01-01T00:00:09Z")));
    String s = ServiceLoop.encode(h, 7);
    assertThat(ServiceLoop.decode(s)).isEqualTo(new ServiceLoop.Stored(h, 7));
    var quietButRestarted = org.corral.policy.service.ServiceEscalation.History.healthy(false);
    assertThat(ServiceLoop.decode(ServiceLoop.encode(quietButRestarted, 2))).isEqualTo(new ServiceLoop.Stored(quietButRestarted, 2));
    for (String bad : List.of("", "1;NONE;true;0", "x;NONE;true;0;", "1;JUMP;true;0;", "1;NONE;yes;0;", "-1;NONE;true;0;", "1;NONE;true;0;abc")) {
      assertThat(ServiceLoop.decode(bad)).as(bad).isNull();
    }
  }

  @Test
  void dependenciesOnUnknownVmsAndCyclesAreRefused() {
    LabHarness lab = started(ServiceSettings.DEFAULT, List.of());
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("app1", 1, 512).withDependsOn(List.of("db9")), "t"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("dependsOn[0]: names 'db9', which is not a VM").hasMessageContaining("create db9 first");
    assertThatThrownBy(() -> lab.cmd().createVms(List.of(VmRequest.of("a", 1, 512).withDependsOn(List.of("b")),
        VmRequest.of("b", 1, 512)), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("[0].dependsOn[0]: names 'b'");
    // A cycle through a VM deleted and created again under its name.
    lab.cmd().createVm(VmRequest.of("a", 1, 512), "t");
    lab.cmd().createVm(VmRequest.of("b", 1, 512).withDependsOn(List.of("a")), "t");
    lab.untilVm("a", VmState.RUNNING, Duration.ofMinutes(1));
    lab.cmd().deleteVm("a", "t");
    lab.until("a deleted", () -> lab.controller.state().vm("a").isEmpty(), Duration.ofMinutes(1));
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("a", 1, 512).withDependsOn(List.of("b")), "t"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("dependsOn[0]: makes a cycle: a -> b -> a").hasMessageContaining("drop one of these dependencies");
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("c", 1, 512).withDependsOn(List.of("b", "b")), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("dependsOn[1]");
    assertThat(lab.controller.state().vm("c")).isEmpty();
  }
}
