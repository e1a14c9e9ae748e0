package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.corral.controller.ControllerSettings;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.OptimizerSettings.Automation;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.controller.energy.EnergyMeter;
import org.corral.controller.store.Json;
import org.corral.controller.testing.LabHarness;
import org.corral.controller.testing.MagicPacketListener;
import org.corral.controller.testing.RealPowerCalls;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.corral.drivers.power.ipmi.ExternalTools;
import org.corral.drivers.power.ipmi.IpmiPowerDriver;
import org.corral.drivers.power.ipmi.IpmiSimulator;
import org.corral.drivers.power.ssh.SshPowerDriver;
import org.corral.drivers.power.wol.WakeOnLanDriver;
import org.corral.drivers.sim.SimPower;
import org.corral.drivers.sim.SimPowerDriver;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.drivers.ssh.TestSshServer;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerSpec;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.Origin;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.consolidation.MinimumMigrationTime;
import org.corral.policy.consolidation.StaticThreshold;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 17: the optimizer, in full automation, switches an emptied host off and wakes it again when
 * load returns, through the host's real power path: IPMI, or Wake-on-LAN with SSH to switch off.
 *
 * <p>Two hosts: node01 runs four quiet VMs (packing puts them all there); node02 stays empty and
 * is switched off once it has been seen empty for three polls (no spare host is kept). Then the VMs
 * get busy: node01 is overloaded, the VM that must leave it has no room on any host that is on,
 * and node02 is woken for it.
 *
 * <p><b>Real:</b> the controller, optimizer, executor and energy meter, unchanged, with the
 * production power drivers. IPMI: {@code ipmitool} (as a process, with the password in a file)
 * talking RMCP+ over 127.0.0.1 to OpenIPMI's {@code ipmi_sim}, whose chassis-control script keeps
 * the power rail in a file; the test reads the rail and asks the BMC with ipmitool itself. Energy:
 * the meter's {@code ipmitool dcmi power reading} against ipmi_sim, which has no DCMI, so the
 * report must fall back to the model and say why. Wake-on-LAN: the magic packet sent over UDP to a
 * listener on 127.0.0.1 ({@link MagicPacketListener}), which checks it names node02's MAC;
 * switching off: an SSH session with a key and known_hosts to an embedded MINA SSH server, which
 * runs the URI's {@code poweroff}.
 *
 * <p><b>Simulated:</b> the machines themselves. Their hypervisors, VMs, load and CPU figures come
 * from the simulated lab ({@code sim://}), as in every optimizer test. The only link between a
 * real power endpoint and a simulated machine is its power supply: before each step of the clock
 * the test moves node02's simulated chassis to what its endpoint says (ipmi_sim's rail, or on
 * after a magic packet for its MAC and off after its SSH {@code poweroff}), and the simulated OS
 * then takes its usual time to boot or shut down. The executor still learns the outcome the way
 * it does in production: from the hypervisor answering, or no longer answering.
 *
 * <p>Determinism: everything runs on virtual time in one-second steps, and no step begins while a
 * real call (process, SSH session, datagram) is unfinished ({@link RealPowerCalls}), so a real call
 * takes no virtual time beyond the step the controller made it in, however slow the machine. Every
 * wait on something real is bounded and says what it waited for; nothing sleeps. Only loopback
 * traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptimizerPowerEndToEndTest {
  private static final List<String> VMS = List.of("v1", "v2", "v3", "v4");
  private static final String MAC = "52:54:00:c0:44:02";
  private static final Duration REAL_CALL_BUDGET = Duration.ofSeconds(45); // ipmitool is killed after 30 s

  /** How node02 is switched. */
  enum PowerPath { IPMI, WAKE_ON_LAN }

  private IpmiSimulator bmc;
  private IpmiPowerDriver ipmi;
  private TestSshServer sshd;
  private SshPowerDriver ssh;
  private final WakeOnLanDriver wol = new WakeOnLanDriver();
  private MagicPacketListener nic;
  /** The Wake-on-LAN machine's power supply: cut by its OS's poweroff, restored by a magic packet for its MAC. */
  private final AtomicBoolean wolRail = new AtomicBoolean(true);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level corralLevel;

  @BeforeAll
  void startEndpoints(@TempDir Path dir) throws Exception {
    ExternalTools.require("ipmitool", "ipmitool");
    String ipmiSim = ExternalTools.require("ipmi_sim", "openipmi");
    bmc = IpmiSimulator.start(ipmiSim, Files.createDirectories(dir.resolve("bmc")));
    ipmi = new IpmiPowerDriver(); // production settings: ipmitool from PATH, 2 s per try, 3 retries
    bmc.awaitReady(ipmi, bmc.lanplusUri());
    sshd = TestSshServer.start(Files.createDirectories(dir.resolve("ssh")));
    sshd.on("poweroff", (line, out, err) -> {
      wolRail.set(false); // the OS shuts down and the machine switches itself off
      return 0;
    });
    ssh = new SshPowerDriver(sshd.clientSettings(Duration.ofSeconds(5), Duration.ofSeconds(10)));
    nic = new MagicPacketListener(mac -> {
      if (mac.equals(MAC)) {
        wolRail.set(true);
      }
    });
    // Corral's log lines at DEBUG and up (ipmitool's argument list among them), kept to check that no
    // password reaches a log; off the console meanwhile.
    ch.qos.logback.classic.Logger corral = corralLogger();
    corralLevel = corral.getLevel();
    corral.setLevel(Level.DEBUG);
    corral.setAdditive(false);
    logs.start();
    corral.addAppender(logs);
  }

  @AfterAll
  void stopEndpoints() throws Exception {
    ch.qos.logback.classic.Logger corral = corralLogger();
    corral.detachAppender(logs);
    corral.setAdditive(true);
    corral.setLevel(corralLevel);
    for (AutoCloseable c : new AutoCloseable[] {ipmi, bmc, ssh, sshd, wol, nic}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static ch.qos.logback.classic.Logger corralLogger() {
    return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.corral");
  }

  /** One run: the lab, the real calls it makes, and how node02's power supply is read. */
  private final class Run {
    final LabHarness lab;
    final RealPowerCalls real = new RealPowerCalls();
    final BooleanSupplier rail;
    private final SimPowerDriver supply;

    Run(PowerPath path) {
      ConsolidationSettings rules = new ConsolidationSettings(new StaticThreshold(0.8), new MinimumMigrationTime(), 0.2, 0.8,
          Duration.ofSeconds(30), 8, 0, 3, 125); // no spare host: an empty host is switched off
      ControllerSettings settings = LabHarness.fastSettings()
          .withOptimizer(new OptimizerSettings(Automation.FULL, Duration.ofSeconds(5), rules, List.of()));
      lab = new LabHarness(2, SimLatencies.DEFAULT, settings);
      lab.moreDrivers = d -> d.power(real.track(ipmi)).power(real.track(wol)).power(real.track(ssh));
      supply = new SimPowerDriver(lab.dc);
      rail = switch (path) {
        case IPMI -> () -> railOfBmc();
        case WAKE_ON_LAN -> wolRail::get;
      };
    }

    /** Lets real calls finish, moves node02's simulated chassis to its rail, then one second of virtual time. */
    void step() {
      real.awaitIdle(REAL_CALL_BUDGET);
      nic.awaitPackets(real.succeeded("wol", "powerOn"), Duration.ofSeconds(5));
      followRail();
      lab.run(Duration.ofSeconds(1));
      for (Vm vm : lab.controller.state().vms()) {
        if (vm.host() != null && vm.state().reservesHost()) {
          assertThat(lab.host(vm.host()).state()).as("%s (%s) on %s at %s", vm.name(), vm.state(), vm.host(), lab.clock.now())
              .isNotIn(HostState.OFF, HostState.POWERING_OFF, HostState.POWERING_ON);
        }
      }
    }

    void stepUntil(String what, BooleanSupplier done, Duration max) {
      for (long s = 0; s < max.toSeconds(); s++) {
        if (done.getAsBoolean()) {
          return;
        }
        step();
      }
      assertThat(done.getAsBoolean()).as("not reached within %s of virtual time: %s%njournal:%n%s", max, what,
          lab.journalText()).isTrue();
    }

    // The machine's power supply follows its rail; its OS then takes the lab's time to boot or shut down.
    private void followRail() {
      SimPower chassis = lab.dc.host("node02").orElseThrow().power();
      PowerTarget psu = new PowerTarget("node02", lab.dc.uriOf("node02"), null);
      boolean on = rail.getAsBoolean();
      switch (chassis) {
        case OFF -> {
          if (on) {
            supply.powerOn(psu);
          }
        }
        case ON -> {
          if (!on) {
            supply.powerOff(psu, false);
          }
        }
        case POWERING_ON -> {
          if (!on) {
            supply.powerOff(psu, true);
          }
        }
        case POWERING_OFF -> { } // it finishes first
      }
    }

    SimPower simulatedChassis() {
      return lab.dc.host("node02").orElseThrow().power();
    }

    long vmsOn(String host) {
      return lab.controller.state().vms().stream().filter(v -> host.equals(v.host())).count();
    }
  }

  private boolean railOfBmc() {
    try {
      return "1".equals(bmc.rail());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private PowerSpec powerOf(PowerPath path) {
    return switch (path) {
      case IPMI -> new PowerSpec(bmc.lanplusUri(), null, null);
      case WAKE_ON_LAN -> new PowerSpec("wol://127.0.0.1:" + nic.port(),
          "ssh://root@127.0.0.1:" + sshd.port() + "?" + sshd.keyQuery() + "&command=poweroff", MAC);
    };
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PowerPath.class)
  void theOptimizerSwitchesTheEmptiedHostOffAndWakesItWhenLoadReturns(PowerPath path) throws Exception {
    // node02's machine starts switched on.
    ipmi.powerOn(new PowerTarget("node02", bmc.lanplusUri(), null)).toCompletableFuture().join();
    wolRail.set(true);
    Run run = new Run(path);
    LabHarness lab = run.lab;
    lab.start(null);
    lab.addInventory(h -> h.name().equals("node02")
        ? new HostRequest(h.name(), h.uri(), h.capacity(), Map.of("rack", "r1"), powerOf(path),
            new HostRequest.PowerModelRequest(120.0, 260.0, null, 8.0))
        : new HostRequest(h.name(), h.uri(), h.capacity(), Map.of("rack", "r1"), new PowerSpec(h.uri(), null, null), null));
    for (String vm : VMS) {
      lab.cmd().createVm(VmRequest.of(vm, 2, 2048), "t"); // packing: all four on node01 (8 vCPUs of 8 cores)
    }
    run.stepUntil("every VM running", () -> VMS.stream().allMatch(v -> lab.vm(v).state() == VmState.RUNNING),
        Duration.ofMinutes(2));
    VMS.forEach(v -> lab.dc.setWorkload(v, WorkloadModel.constant(0.1)));
    assertThat(run.vmsOn("node01")).isEqualTo(4);

    // node02 stays empty and is switched off, while the VMs boot, through its real power path.
    run.stepUntil("node02 OFF", () -> lab.host("node02").state() == HostState.OFF, Duration.ofMinutes(5));
    JournalEntry off = queued(lab, "optimize/power-off/node02/");
    assertThat(off.cause().origin()).isEqualTo(Origin.OPTIMIZER);
    assertThat(off.cause().reason()).isEqualTo("node02 empty for 3 polls; 0 spare host(s) stay on; switching it off saves 120 W");
    // Done, as in production, once the hypervisor stopped answering; the simulated OS then finishes shutting down.
    assertThat(run.simulatedChassis()).as("the simulated machine followed its power supply")
        .isIn(SimPower.POWERING_OFF, SimPower.OFF);
    run.stepUntil("node02's simulated machine off", () -> run.simulatedChassis() == SimPower.OFF, Duration.ofMinutes(1));
    switch (path) {
      case IPMI -> {
        assertThat(bmc.calls()).as("a graceful (ACPI soft) power-off reached the BMC").contains("set shutdown 1");
        assertThat(bmc.rail()).as("ipmi_sim's rail").isEqualTo("0");
        assertThat(bmcStatus()).as("what ipmitool chassis power status says").isEqualTo(PowerStatus.OFF);
      }
      case WAKE_ON_LAN -> {
        assertThat(sshd.commands()).as("the power-off command ran over SSH").containsExactly("poweroff");
        assertThat(wolRail.get()).isFalse();
      }
    }
    run.step(); // quiet and converged: nothing more
    assertThat(lab.controller.executor().active()).isEmpty();

    // Load returns: node01 is overloaded, and the VM that must leave has no room on a host that is on.
    int callsBefore = bmc.calls().size();
    VMS.forEach(v -> lab.dc.setWorkload(v, WorkloadModel.constant(1.0)));
    run.stepUntil("node02 woken and a VM moved onto it", () -> lab.host("node02").state() == HostState.UP
        && run.vmsOn("node02") == 1 && lab.controller.executor().active().isEmpty(), Duration.ofMinutes(10));
    JournalEntry wake = queued(lab, "optimize/power-on/node02/");
    assertThat(wake.cause().origin()).isEqualTo(Origin.OPTIMIZER);
    assertThat(wake.cause().reason()).matches("v\\d has no room on any host that is on; waking node02 \\(idle 120 W, the cheapest that fits\\)");
    assertThat(lab.controller.state().vms()).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.RUNNING));
    assertThat(run.simulatedChassis()).isEqualTo(SimPower.ON);
    switch (path) {
      case IPMI -> {
        assertThat(bmc.calls().subList(callsBefore, bmc.calls().size())).as("a power-on reached the BMC").contains("set power 1");
        assertThat(bmc.rail()).isEqualTo("1");
        assertThat(bmcStatus()).isEqualTo(PowerStatus.ON);
      }
      case WAKE_ON_LAN -> {
        byte[] expected = HexFormat.of().parseHex("ffffffffffff" + MAC.replace(":", "").repeat(16));
        assertThat(nic.received()).as("one magic packet, for node02's MAC, from this machine").singleElement().satisfies(p -> {
          assertThat(p.mac()).isEqualTo(MAC);
          assertThat(p.bytes()).isEqualTo(expected);
          assertThat(p.from().isLoopbackAddress()).isTrue();
        });
      }
    }

    // Exactly one power-off and one power-on went through node02's real drivers.
    String onScheme = path == PowerPath.IPMI ? "ipmi" : "wol";
    String offScheme = path == PowerPath.IPMI ? "ipmi" : "ssh";
    assertThat(run.real.succeeded(offScheme, "powerOff")).as("%s power-offs", offScheme).isEqualTo(1);
    assertThat(run.real.succeeded(onScheme, "powerOn")).as("%s power-ons", onScheme).isEqualTo(1);
    assertThat(run.real.succeeded(onScheme, "powerReading")).as("the energy meter asked once, the answer holds for an hour")
        .isEqualTo(1);

    // Energy: node02's BMC was asked for its power; neither path reports it, so the model counts, and says why.
    EnergyMeter.Report energy = lab.controller.energy().report();
    EnergyMeter.HostEnergy node02 = energy.hosts().stream().filter(h -> h.name().equals("node02")).findFirst().orElseThrow();
    assertThat(node02.source()).isEqualTo(EnergyMeter.Source.MODEL);
    assertThat(node02.detail()).endsWith(switch (path) {
      case IPMI -> "not measured: BMC 127.0.0.1 does not report power (ipmitool dcmi power reading: Invalid command (c1))";
      case WAKE_ON_LAN -> "not measured: wol power control does not measure power";
    });
    assertThat(node02.baselineJoules() - node02.joules()).as("node02 was off for a while: energy saved").isPositive();

    // The BMC's password never reaches a log line, the journal or what the API would show.
    String api = Json.mapper().writeValueAsString(List.of(energy, lab.controller.state().hosts()));
    assertThat(api).contains(path == PowerPath.IPMI ? "passwordFile=" : "wol://").doesNotContain(IpmiSimulator.PASSWORD);
    assertThat(lab.journalText()).doesNotContain(IpmiSimulator.PASSWORD);
    if (path == PowerPath.IPMI) {
      assertThat(logs.list).as("ipmitool's argument lists are logged (at DEBUG)")
          .anyMatch(e -> e.getFormattedMessage().contains("-f, " + bmc.passwordFile()));
    }
    assertThat(logs.list).as("Corral's log lines").noneMatch(e -> e.getFormattedMessage().contains(IpmiSimulator.PASSWORD)
        || (e.getThrowableProxy() != null && ThrowableProxyUtil.asString(e.getThrowableProxy()).contains(IpmiSimulator.PASSWORD)));
    lab.controller.stop();
  }

  private PowerStatus bmcStatus() {
    return ipmi.status(new PowerTarget("node02", bmc.lanplusUri(), null)).toCompletableFuture().join();
  }

  private static JournalEntry queued(LabHarness lab, String keyPrefix) {
    return lab.journal().stream()
        .filter(e -> e.kind() == EntryKind.ACTION_QUEUED && e.actionKey() != null && e.actionKey().startsWith(keyPrefix))
        .findFirst().orElseThrow(() -> new AssertionError("no action " + keyPrefix + "* queued; journal:\n" + lab.journalText()));
  }
}
