package org.corral.controller.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.corral.controller.Controller;
import org.corral.controller.ControllerSettings;
import org.corral.controller.command.Commands;
import org.corral.controller.command.HostRequest;
import org.corral.controller.store.InMemoryStore;
import org.corral.controller.store.Store;
import org.corral.drivers.Drivers;
import org.corral.drivers.sim.SimDataCenter;
import org.corral.drivers.sim.SimGuestExec;
import org.corral.drivers.sim.SimHypervisorDriver;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.SimPowerDriver;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.journal.JournalEntry;
import org.corral.model.network.Network;
import org.corral.model.image.Image;
import org.corral.model.time.ScopedClock;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;

/**
 * A real controller over a simulated lab, all on one virtual clock: deterministic end-to-end
 * tests. The lab runs on the clock itself and the controller on a {@link ScopedClock}, so
 * {@link #kill()} stops the controller dead (nothing it scheduled runs again) while the lab goes
 * on, like a {@code kill -9} of the controller process. The test thread drives the clock and is
 * the controller's loop: commands are called directly.
 */
public final class LabHarness {
  public final VirtualClock clock = new VirtualClock();
  public final SimDataCenter dc;
  /** What commands inside the simulated VMs answer (service checks, hooks): script it with {@code onExec}. */
  public final SimGuestExec guest;
  public Store store;
  public ScopedClock scope;
  public Controller controller;
  /** The meter registry of the running controller (a fresh one per start). */
  public io.micrometer.core.instrument.MeterRegistry meters;
  private final ControllerSettings settings;
  /** Lets a test wrap the lab's hypervisor driver (e.g. to count connection attempts). */
  public java.util.function.UnaryOperator<org.corral.drivers.hypervisor.HypervisorDriver> hypervisorWrapper = d -> d;
  /** Lets a test wrap the lab's power driver (e.g. to give its BMCs a power reading). */
  public java.util.function.UnaryOperator<org.corral.drivers.power.PowerDriver> powerWrapper = d -> d;
  /** Lets a test register more drivers (e.g. real power drivers for some hosts) before the controller starts. */
  public java.util.function.Consumer<Drivers> moreDrivers = d -> { };

  public LabHarness(int hosts, SimLatencies latencies) {
    this(hosts, latencies, fastSettings());
  }

  public LabHarness(int hosts, SimLatencies latencies, ControllerSettings settings) {
    this.settings = settings;
    dc = new SimDataCenter("lab", clock, 7, latencies);
    guest = new SimGuestExec(dc);
    for (int i = 1; i <= hosts; i++) {
      dc.addHost(hostName(i), new HostCapacity(8, 2600, 32768), PowerModel.linear(100, 250), true);
    }
  }

  public static ControllerSettings fastSettings() {
    return ControllerSettings.DEFAULT.withPeriods(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  public static String hostName(int i) {
    return String.format("node%02d", i);
  }

  /** Starts a controller over {@code store} (a fresh in-memory one when null). */
  public Controller start(Store s) {
    store = s != null ? s : new InMemoryStore();
    scope = new ScopedClock(clock);
    Drivers drivers = new Drivers().hypervisor(hypervisorWrapper.apply(new SimHypervisorDriver(dc)))
        .power(powerWrapper.apply(new SimPowerDriver(dc))).guest(guest);
    moreDrivers.accept(drivers);
    meters = new SimpleMeterRegistry();
    controller = new Controller(settings, scope, store, drivers, meters);
    controller.start();
    return controller;
  }

  /** Starts a controller and registers every lab host, a network and a shared image. */
  public Controller startWithInventory() {
    start(null);
    addInventory();
    return controller;
  }

  public void addInventory() {
    addInventory(h -> new HostRequest(h.name(), h.uri(), h.capacity(), java.util.Map.of("rack", "r1"),
        new PowerSpec(h.uri(), null, null), null));
  }

  /** Registers every lab host as {@code request} describes it, then a network and a shared image. */
  public void addInventory(java.util.function.Function<org.corral.drivers.sim.SimHost, HostRequest> request) {
    for (var h : dc.hosts()) {
      cmd().addHost(request.apply(h), "test");
    }
    cmd().createNetwork(new Network("default", "br0", "192.168.100.0/24", "192.168.100.1", null, null, null), "test");
    cmd().createImage(new Image("debian12", "default", "debian-12.qcow2", "qcow2", 10, true), "test");
    run(Duration.ofSeconds(2));
  }

  /** Stops the controller as {@code kill -9} would: no clean-up, nothing it scheduled runs again. */
  public void kill() {
    scope.halt();
    controller = null;
  }

  public Commands cmd() {
    return controller.commands();
  }

  public void run(Duration d) {
    clock.advance(d);
  }

  /** Advances in 1 s steps until {@code cond} holds; fails the test if it does not within {@code max}. */
  public void until(String what, BooleanSupplier cond, Duration max) {
    if (!clock.advanceUntil(cond, Duration.ofSeconds(1), max)) {
      throw new AssertionError("not reached within " + max + ": " + what + "\njournal:\n" + journalText());
    }
  }

  public Vm vm(String name) {
    return controller.state().requireVm(name);
  }

  public Host host(String name) {
    return controller.state().requireHost(name);
  }

  public void untilVm(String name, VmState state, Duration max) {
    until(name + " " + state, () -> controller.state().vm(name).map(v -> v.state() == state).orElse(false), max);
  }

  public List<JournalEntry> journal() {
    return store.journal(0, 10_000, null);
  }

  public String journalText() {
    StringBuilder sb = new StringBuilder();
    for (JournalEntry e : journal()) {
      sb.append(e.seq()).append(' ').append(e.at()).append(' ').append(e.kind()).append(' ').append(e.subject()).append(' ')
          .append(e.from()).append("->").append(e.to()).append(' ').append(e.actionKey()).append(" | ").append(e.message()).append('\n');
    }
    return sb.toString();
  }
}
