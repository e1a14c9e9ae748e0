package org.corral.controller.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.controller.auth.Accounts;
import org.corral.controller.connection.HostConnections;
import org.corral.controller.connection.Stages;
import org.corral.controller.executor.Executor;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.model.ConflictException;
import org.corral.model.IllegalTransitionException;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.corral.model.QuotaExceededException;
import org.corral.model.Resources;
import org.corral.model.auth.Usage;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.image.Image;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.network.LeasePool;
import org.corral.model.network.Network;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.time.Clock;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.corral.policy.expr.Expressions;
import org.corral.policy.service.ServiceOrder;
import org.jspecify.annotations.Nullable;

/**
 * What users can ask. Each method validates everything first and throws a
 * {@link org.corral.model.CorralException} naming the field and the fix before anything is
 * written. Must be called on the controller's loop.
 */
public final class Commands {
  private final ControllerState state;
  private final Executor executor;
  private final HostConnections connections;
  private final Drivers drivers;
  private final Accounts accounts;
  private final Clock clock;
  private final long seed;
  private final double cpuOvercommit;
  private final Runnable wakeScheduler;
  private final java.util.function.Consumer<String> wakeMonitor;
  private final java.util.function.Consumer<String> forgetHost;

  public Commands(ControllerState state, Executor executor, HostConnections connections, Drivers drivers, Accounts accounts, long seed,
      double cpuOvercommit, Runnable wakeScheduler, java.util.function.Consumer<String> wakeMonitor,
      java.util.function.Consumer<String> forgetHost) {
    this.state = state;
    this.executor = executor;
    this.connections = connections;
    this.drivers = drivers;
    this.accounts = accounts;
    this.clock = state.clock();
    this.seed = seed;
    this.cpuOvercommit = cpuOvercommit;
    this.wakeScheduler = wakeScheduler;
    this.wakeMonitor = wakeMonitor;
    this.forgetHost = forgetHost;
  }

  // ---- VMs -----------------------------------------------------------------------------------

  /** VMs one {@code POST /vms} may create at once (its body is also capped at 1 MiB). */
  public static final int MAX_BULK = 10_000;

  public Vm createVm(VmRequest req, String owner) {
    return createVm(req, owner, owner);
  }

  /**
   * Creates one VM owned by {@code owner}, within the owner's quota; {@code who} is who asked, as
   * the journal names it (the owner, or an administrator acting for them).
   */
  public Vm createVm(VmRequest req, String owner, String who) {
    return createVm(req, owner, who, null);
  }

  /**
   * {@link #createVm(VmRequest, String, String)}, the VM's user data given by {@code userData}
   * from the leases it is admitted with (a cluster member's, rendered with its own address); the
   * request's user data when null.
   */
  public Vm createVm(VmRequest req, String owner, String who,
      java.util.function.@Nullable Function<List<NicLease>, @Nullable String> userData) {
    if (req == null) {
      throw new InvalidInputException("body", "is empty", "send a JSON object with name, cpus and memoryMib");
    }
    Batch batch = new Batch();
    ControllerState.Tx tx = state.tx();
    Vm vm = admit(req, owner, who, batch, tx, userData);
    tx.commit();
    wakeScheduler.run();
    return state.requireVm(vm.name());
  }

  /**
   * Creates every VM of {@code reqs} or none: each is checked with the same rules and errors as
   * one at a time, the field of an error prefixed with the VM's index ({@code [3].memoryMib}),
   * and the lot is written in one batch, so that a thousand VMs cost one commit, not a thousand.
   */
  public List<Vm> createVms(List<VmRequest> reqs, String owner) {
    return createVms(reqs, owner, owner);
  }

  /** {@link #createVms(List, String)} with who asked named apart from the owner, as {@link #createVm(VmRequest, String, String)}. */
  public List<Vm> createVms(List<VmRequest> reqs, String owner, String who) {
    if (reqs == null || reqs.isEmpty()) {
      throw new InvalidInputException("body", "is an empty list", "send at least one VM: [{\"name\": ..., \"cpus\": ..., \"memoryMib\": ...}]");
    }
    if (reqs.size() > MAX_BULK) {
      throw new InvalidInputException("body", "holds " + reqs.size() + " VMs; at most " + MAX_BULK + " per request",
          "send them in requests of at most " + MAX_BULK);
    }
    Batch batch = new Batch();
    ControllerState.Tx tx = state.tx();
    List<Vm> created = new ArrayList<>(reqs.size());
    for (int i = 0; i < reqs.size(); i++) {
      VmRequest req = reqs.get(i);
      try {
        if (req == null) {
          throw new InvalidInputException("body", "is null", "give a JSON object with name, cpus and memoryMib");
        }
        created.add(admit(req, owner, who, batch, tx, null));
      } catch (InvalidInputException e) {
        String field = e.field().equals("body") ? "" : "." + e.field();
        String message = java.util.Objects.requireNonNull(e.getMessage()); // "field: problem; fix", always set
        throw new InvalidInputException("[" + i + "]" + field, message.substring(e.field().length() + 2), null);
      } catch (QuotaExceededException e) {
        throw new QuotaExceededException("[" + i + "]: " + e.getMessage() + "; nothing was created");
      } catch (ConflictException e) {
        throw new ConflictException("[" + i + "]: " + e.getMessage() + "; nothing was created");
      }
    }
    tx.commit();
    wakeScheduler.run();
    List<Vm> out = new ArrayList<>(created.size());
    created.forEach(v -> out.add(state.requireVm(v.name())));
    return out;
  }

  /** What the VMs of one request have taken so far: names and leases not yet in the state. */
  private static final class Batch {
    final Set<String> names = new HashSet<>();
    final Set<String> macs = new HashSet<>();
    final java.util.Map<String, Set<String>> ips = new java.util.HashMap<>();
    /** What the VMs of the request admitted so far hold against the owner's quota. */
    Usage usage = Usage.NONE;
    /** The dependencies of the VMs of the request admitted so far. */
    final java.util.Map<String, List<String>> dependsOn = new java.util.HashMap<>();
  }

  /** Checks one VM against the state and the batch so far; adds it to {@code tx}; writes nothing. */
  private Vm admit(VmRequest req, String owner, String who, Batch batch, ControllerState.Tx tx,
      java.util.function.@Nullable Function<List<NicLease>, @Nullable String> userData) {
    String name = Names.require("name", req.name());
    VmSpec spec = req.spec().validate();
    ServiceOrder.of("services", spec.services());
    if (state.vm(name).isPresent()) {
      throw new ConflictException("a VM named '" + name + "' already exists; pick another name or delete it first");
    }
    dependencies(name, spec.dependsOn(), batch);
    if (!batch.names.add(name)) {
      throw new InvalidInputException("name", "'" + name + "' is given twice in this request", "give each VM its own name");
    }
    for (int i = 0; i < spec.disks().size(); i++) {
      DiskSpec d = spec.disks().get(i);
      if (state.image(d.image()).isEmpty()) {
        throw new InvalidInputException("disks[" + i + "].image", "no image named '" + d.image() + "'",
            "list images with `corral image list` or add one with `corral image create`");
      }
    }
    if (spec.requirements() != null) {
      Expressions.validateRequirements("requirements", spec.requirements());
    }
    if (spec.rank() != null) {
      Expressions.validateRank("rank", spec.rank());
    }
    // Last of the checks, before anything is taken: the request so far plus this VM, against the
    // owner's and group's quotas. On the loop, so no other request is admitted in between.
    Usage asked = batch.usage.plus(state.usageOf(spec));
    accounts.checkQuota(owner, asked);
    batch.usage = asked;
    List<NicLease> leases = allocateLeases(spec.nics(), batch);
    if (userData != null) {
      spec = spec.withUserData(userData.apply(leases)).validate();
    }
    String uuid = UUID.nameUUIDFromBytes((seed + "/" + name + "/" + clock.now() + "/" + state.journalSeq())
        .getBytes(StandardCharsets.UTF_8)).toString();
    Vm vm = Vm.pending(name, uuid, spec, owner, leases, clock.now());
    if (Boolean.TRUE.equals(req.hold())) {
      vm = vm.withState(VmState.HOLD, "held by " + who + "; `corral vm release " + name + "` lets it be placed", clock.now());
    }
    Cause cause = Cause.user(who, "create VM " + name);
    tx.put(vm).journal(EntryKind.CREATED, SubjectKind.VM, name, null, vm.state().name(), null, cause,
        "created: " + spec.cpus() + " vCPUs, " + spec.memoryMib() + " MiB" + leaseText(leases));
    return vm;
  }

  /**
   * Each VM {@code name} depends on must exist (or come earlier in the same request), and the
   * dependencies must not lead back to it (a VM deleted and created again under its name may be
   * named by another). Throws naming {@code dependsOn[i]} and the fix.
   */
  private void dependencies(String name, List<String> dependsOn, Batch batch) {
    for (int i = 0; i < dependsOn.size(); i++) {
      String d = dependsOn.get(i);
      if (d.equals(name)) {
        throw new InvalidInputException("dependsOn[" + i + "]", "names the VM itself", "drop it");
      }
      if (state.vm(d).isEmpty() && !batch.dependsOn.containsKey(d)) {
        throw new InvalidInputException("dependsOn[" + i + "]", "names '" + d + "', which is not a VM",
            "create " + d + " first (or earlier in the same request), or drop it; list VMs with `corral vm list`");
      }
      List<String> path = pathTo(d, name, batch, new HashSet<>());
      if (path != null) {
        throw new InvalidInputException("dependsOn[" + i + "]", "makes a cycle: " + name + " -> " + String.join(" -> ", path),
            "drop one of these dependencies so that the VMs can start one after another");
      }
    }
    batch.dependsOn.put(name, dependsOn);
  }

  /** The chain of dependencies from {@code from} that reaches {@code target} (both ends included), or null. */
  private @org.jspecify.annotations.Nullable List<String> pathTo(String from, String target, Batch batch, Set<String> seen) {
    if (from.equals(target)) {
      return new ArrayList<>(List.of(target));
    }
    if (!seen.add(from)) {
      return null;
    }
    List<String> next = batch.dependsOn.containsKey(from) ? batch.dependsOn.get(from)
        : state.vm(from).map(v -> v.spec().dependsOn()).orElse(List.of());
    for (String n : next) {
      List<String> rest = pathTo(n, target, batch, seen);
      if (rest != null) {
        rest.add(0, from);
        return rest;
      }
    }
    return null;
  }

  /** Leases for {@code nics}: free in the state (its indexes, O(1) a question) and in the batch so far. */
  private List<NicLease> allocateLeases(List<NicSpec> nics, Batch batch) {
    List<NicLease> out = new ArrayList<>();
    for (int i = 0; i < nics.size(); i++) {
      String netName = nics.get(i).network();
      Network net = state.network(netName).orElseThrow(() -> new InvalidInputException("nics[" + out.size() + "].network",
          "no network named '" + netName + "'", "list networks with `corral network list` or create one"));
      Set<String> batchIps = batch.ips.computeIfAbsent(netName, n -> new HashSet<>());
      NicLease l = LeasePool.allocate(net, ip -> batchIps.contains(ip) || state.ipLeased(netName, ip),
          mac -> batch.macs.contains(mac) || state.macLeased(mac));
      batchIps.add(l.ip());
      batch.macs.add(l.mac());
      out.add(l);
    }
    return out;
  }

  private static String leaseText(List<NicLease> leases) {
    if (leases.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(", leases");
    for (NicLease l : leases) {
      sb.append(' ').append(l.network()).append('=').append(l.ip()).append('/').append(l.mac());
    }
    return sb.toString();
  }

  public Vm startVm(String name, String who) {
    Vm vm = state.requireVm(name);
    Cause cause = Cause.user(who, "start VM " + name);
    switch (vm.state()) {
      case RUNNING, BOOTING, PROVISIONING, PENDING -> {
        return vm; // already on its way: starting is idempotent
      }
      case STOPPED -> {
        requireIdle(vm, "start");
        state.tx().put(vm.withDesired(DesiredState.RUNNING)).commit();
        executor.submit(new Action.StartVm("start/" + name + "/" + vm.version(), name, hostOf(vm), cause));
      }
      case FAILED -> {
        requireIdle(vm, "start");
        Vm after = vm.withDesired(DesiredState.RUNNING).moved(VmState.PENDING, null, null, "waiting for a host (restarted by " + who + ")", clock.now());
        state.tx().vmState(vm, after, null, cause).commit();
        wakeScheduler.run();
      }
      default -> throw new IllegalTransitionException("vm", name, vm.state(), VmState.RUNNING);
    }
    return state.requireVm(name);
  }

  public Vm stopVm(String name, boolean force, String who) {
    Vm vm = state.requireVm(name);
    switch (vm.state()) {
      case STOPPED, STOPPING -> {
        return vm;
      }
      case RUNNING, BOOTING, SUSPENDED, UNKNOWN -> {
        // The stop goes through STOPPING, which the state machine forbids from UNKNOWN: refused
        // here, before anything is written, not half way through by the executor (found by ApiFuzzTest).
        if (!VmState.MACHINE.allows(vm.state(), VmState.STOPPING)) {
          throw new IllegalTransitionException("vm", name, vm.state(), VmState.STOPPING);
        }
        requireIdle(vm, "stop");
        state.tx().put(vm.withDesired(DesiredState.STOPPED)).commit();
        executor.submit(new Action.StopVm((force ? "destroy/" : "stop/") + name + "/" + vm.version(), name, hostOf(vm), force,
            Cause.user(who, (force ? "destroy VM " : "stop VM ") + name)));
      }
      default -> throw new IllegalTransitionException("vm", name, vm.state(), VmState.STOPPED);
    }
    return state.requireVm(name);
  }

  /** Reboots a RUNNING VM in place (RebootVm); any other state is refused with the transition it would need. */
  public Vm rebootVm(String name, String who) {
    Vm vm = state.requireVm(name);
    if (vm.state() != VmState.RUNNING) {
      throw new IllegalTransitionException("vm", name, vm.state(), VmState.BOOTING);
    }
    requireIdle(vm, "reboot");
    executor.submit(new Action.RebootVm("reboot/" + name + "/" + vm.version(), name, hostOf(vm), Cause.user(who, "reboot VM " + name)));
    return state.requireVm(name);
  }

  public Vm migrateVm(String name, @Nullable String to, String who) {
    Vm vm = state.requireVm(name);
    if (to == null || to.isBlank()) {
      throw new InvalidInputException("to", "is missing", "name the destination host, e.g. --to node2");
    }
    if (vm.state() != VmState.RUNNING) {
      throw new IllegalTransitionException("vm", name, vm.state(), VmState.MIGRATING);
    }
    Host dest = state.host(to).orElseThrow(() -> new InvalidInputException("to", "no host named " + InvalidInputException.quote(to),
        "list hosts with `corral host list`"));
    if (to.equals(vm.host())) {
      throw new ConflictException("VM '" + name + "' already runs on " + to);
    }
    if (!dest.state().acceptsVms()) {
      throw new ConflictException("host '" + to + "' is " + dest.state() + "; only UP hosts take VMs");
    }
    Resources free = dest.capacity().schedulable(cpuOvercommit).minus(reservedOn(to));
    if (!free.fits(vm.spec().demand())) {
      throw new ConflictException("host '" + to + "' lacks room for " + name + " (free " + String.format("%.1f", free.cpus())
          + " CPUs, " + free.memoryMib() + " MiB; needs " + vm.spec().cpus() + " CPUs, " + vm.spec().memoryMib() + " MiB)");
    }
    requireIdle(vm, "migrate");
    executor.submit(new Action.MigrateVm("migrate/" + name + "/" + vm.version(), name, hostOf(vm), to,
        Cause.user(who, "migrate VM " + name + " to " + to)));
    return state.requireVm(name);
  }

  public Vm deleteVm(String name, String who) {
    Vm vm = state.requireVm(name);
    if (vm.state() == VmState.MIGRATING) {
      throw new ConflictException("VM '" + name + "' is migrating; delete it once the migration ends");
    }
    String key = "delete/" + name + "/" + vm.uuid();
    if (executor.activeKey(name).filter(k -> k.startsWith(key + "/")).isPresent()) {
      return vm; // already being deleted
    }
    requireIdle(vm, "delete");
    executor.submit(new Action.DeleteVm(key + "/" + vm.version(), name, vm.host(), Cause.user(who, "delete VM " + name)));
    return state.vm(name).orElse(vm);
  }

  /**
   * Replaces the labels of VMs, all or none (each set validated as a spec's labels before any is
   * written); journaled as UPDATED with who asked. No action: labels are data on the VM.
   */
  public List<Vm> setLabels(Map<String, Map<String, String>> labelsByVm, String who) {
    List<Vm> after = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : labelsByVm.entrySet()) {
      Vm vm = state.requireVm(e.getKey());
      after.add(vm.withSpec(vm.spec().withLabels(e.getValue())));
    }
    ControllerState.Tx tx = state.tx();
    for (Vm v : after) {
      tx.put(v).journal(EntryKind.UPDATED, SubjectKind.VM, v.name(), null, null, null, Cause.user(who, "set the labels of VM " + v.name()),
          "labels " + v.spec().labels());
    }
    tx.commit();
    return after;
  }

  public Vm holdVm(String name, String who) {
    Vm vm = state.requireVm(name);
    if (vm.state() == VmState.HOLD) {
      return vm;
    }
    if (vm.state() != VmState.PENDING || executor.isBusy(name)) {
      throw new IllegalTransitionException("vm", name, vm.state(), VmState.HOLD);
    }
    return state.transitionVm(name, VmState.HOLD, null, null, "held by " + who, null, Cause.user(who, "hold VM " + name));
  }

  public Vm releaseVm(String name, String who) {
    Vm vm = state.requireVm(name);
    if (vm.state() == VmState.PENDING) {
      return vm;
    }
    if (vm.state() != VmState.HOLD) {
      throw new IllegalTransitionException("vm", name, vm.state(), VmState.PENDING);
    }
    Vm after = state.transitionVm(name, VmState.PENDING, null, null, "waiting for a host", null, Cause.user(who, "release VM " + name));
    wakeScheduler.run();
    return after;
  }

  private void requireIdle(Vm vm, String what) {
    executor.activeKey(vm.name()).ifPresent(k -> {
      throw new ConflictException("VM '" + vm.name() + "' has an action in progress (" + k + "); " + what
          + " it when that finishes (watch `corral events --subject " + vm.name() + "`)");
    });
  }

  /** The host of a VM in a state that reserves one (STOPPED, RUNNING, ...): only PENDING, HOLD and never-placed VMs have none. */
  private static String hostOf(Vm vm) {
    return Objects.requireNonNull(vm.host(), () -> "VM " + vm.name() + " is " + vm.state() + " without a host");
  }

  private Resources reservedOn(String host) {
    return state.reservedOn(host, null);
  }

  // ---- hosts ---------------------------------------------------------------------------------

  /**
   * Adds a host. When the request gives no capacity it is asked from the hypervisor (the stage
   * fails with the driver's error if that does not answer). Completes on the loop.
   */
  public CompletionStage<Host> addHost(HostRequest req, String who) {
    if (req == null) {
      throw new InvalidInputException("body", "is empty", "send a JSON object with name and uri");
    }
    String name = Names.require("name", req.name());
    if (state.host(name).isPresent()) {
      throw new ConflictException("a host named '" + name + "' already exists; remove it first or pick another name");
    }
    if (req.uri() == null || req.uri().isBlank()) {
      throw new InvalidInputException("uri", "is missing", "give the hypervisor URI, e.g. qemu+ssh://root@" + name + "/system");
    }
    drivers.hypervisorFor("uri", req.uri());
    for (Host other : state.hosts()) {
      if (other.uri().equals(req.uri())) {
        throw new ConflictException("host '" + other.name() + "' already uses " + req.uri());
      }
    }
    PowerSpec power = req.power() == null ? PowerSpec.NONE : req.power();
    if (power.on() != null) {
      drivers.powerFor("power.on", power.on());
    }
    if (power.off() != null) {
      drivers.powerFor("power.off", power.off());
    }
    if (power.soft() != null) {
      if (!power.soft().startsWith("ssh:") && !power.soft().startsWith("sim:")) {
        throw new InvalidInputException("power.soft", InvalidInputException.quote(power.soft())
            + " cannot restart a hypervisor: soft fencing runs a command over SSH",
            "write it like ssh://root@" + name + "?identity=/etc/corral/ssh/id_ecdsa (runs systemctl restart libvirtd), or leave it out");
      }
      drivers.powerFor("power.soft", power.soft());
    }
    if (power.on() != null && power.on().startsWith("wol:") && power.mac() == null) {
      throw new InvalidInputException("power.mac", "is required for Wake-on-LAN", "give the MAC of the NIC that listens, e.g. --mac aa:bb:cc:dd:ee:ff");
    }
    PowerModel model = powerModel(req.powerModel());
    if (req.capacity() != null) {
      return CompletableFuture.completedFuture(insertHost(name, req, req.capacity(), power, model, who, "added"));
    }
    Host probe = new Host(name, req.uri(), new HostCapacity(1, 1, 1), labelsOf(req), power, model, HostState.UP, "", clock.now(), 0);
    return connections.get(probe)
        .thenCompose(c -> Stages.within(c.facts(), java.time.Duration.ofSeconds(30), clock, "reading facts of " + req.uri()))
        .handle((facts, err) -> {
          connections.drop(name);
          if (err != null) {
            DriverException d = DriverException.of(err);
            throw new InvalidInputException("uri", "cannot read capacity from " + req.uri() + ": " + d.getMessage(),
                "make the hypervisor reachable, or give capacity (--cores, --mhz, --memory) to add it anyway");
          }
          HostCapacity cap = new HostCapacity(facts.cores(), Math.max(1, facts.mhz()), facts.memoryMib());
          return insertHost(name, req, cap, power, model, who, "added (" + facts.hypervisor() + ", " + facts.cores() + " cores, "
              + facts.memoryMib() + " MiB)");
        });
  }

  private Host insertHost(String name, HostRequest req, HostCapacity cap, PowerSpec power, PowerModel model, String who, String reason) {
    if (state.host(name).isPresent()) {
      throw new ConflictException("a host named '" + name + "' already exists");
    }
    Host h = new Host(name, req.uri(), cap, labelsOf(req), power, model, HostState.UP, reason + "; waiting for the first poll", clock.now(), 1,
        req.lockManager() == null ? org.corral.model.host.LockManager.NONE : req.lockManager());
    state.tx().put(h).journal(EntryKind.CREATED, SubjectKind.HOST, name, null, h.state().name(), null,
        Cause.user(who, "add host " + name), reason + ": " + req.uri()).commit();
    wakeMonitor.accept(name);
    wakeScheduler.run();
    return h;
  }

  /** Builds a power model from a request; public so that corral.yaml is checked when it is read. */
  /** The request's labels; none when it gives none (as Host itself reads a null). */
  private static Map<String, String> labelsOf(HostRequest req) {
    return Objects.requireNonNullElse(req.labels(), Map.of());
  }

  public static PowerModel powerModel(HostRequest.@Nullable PowerModelRequest r) {
    if (r == null) {
      return PowerModel.TYPICAL;
    }
    if (r.watts() != null) {
      return new PowerModel(r.watts(), r.offWatts() == null ? 0 : r.offWatts());
    }
    if (r.idleWatts() == null || r.maxWatts() == null) {
      throw new InvalidInputException("powerModel", "needs idleWatts and maxWatts, or watts (11 values)", "e.g. {idleWatts: 90, maxWatts: 250}");
    }
    PowerModel lin = PowerModel.linear(r.idleWatts(), r.maxWatts());
    return new PowerModel(lin.watts(), r.offWatts() == null ? 0 : r.offWatts());
  }

  public void removeHost(String name, String who) {
    Host h = state.requireHost(name);
    List<String> onIt = new ArrayList<>();
    for (Vm v : state.vms()) {
      if (name.equals(v.host()) || name.equals(v.migrationTarget())) {
        onIt.add(v.name());
      }
    }
    if (!onIt.isEmpty()) {
      throw new ConflictException("host '" + name + "' still has " + onIt.size() + " VM(s) (" + String.join(", ", onIt.subList(0, Math.min(5, onIt.size())))
          + (onIt.size() > 5 ? ", ..." : "") + "); migrate or delete them first");
    }
    if (executor.isBusy(name)) {
      throw new ConflictException("host '" + name + "' has an action in progress; remove it when that finishes");
    }
    state.tx().deleteHost(name).journal(EntryKind.DELETED, SubjectKind.HOST, name, h.state().name(), null, null,
        Cause.user(who, "remove host " + name), "removed").commit();
    connections.drop(name);
    // A host added again under the same name starts with a clean health record.
    forgetHost.accept(name);
  }

  public Host maintenance(String name, boolean enabled, String who) {
    Host h = state.requireHost(name);
    Cause cause = Cause.user(who, (enabled ? "enter" : "leave") + " maintenance on " + name);
    if (enabled) {
      if (h.state() == HostState.MAINTENANCE) {
        return h;
      }
      // New VMs stop coming; the Guardian live-migrates the running ones away (policy.recovery).
      return state.transitionHost(name, HostState.MAINTENANCE, "maintenance requested by " + who, null, cause);
    }
    if (h.state() != HostState.MAINTENANCE) {
      throw new IllegalTransitionException("host", name, h.state(), HostState.UP);
    }
    Host after = state.transitionHost(name, HostState.UP, "maintenance ended by " + who, null, cause);
    wakeScheduler.run();
    return after;
  }

  public Host powerOn(String name, String who) {
    Host h = state.requireHost(name);
    if (!h.power().canPowerOn()) {
      throw new InvalidInputException("power.on", "host '" + name + "' has no power-on method",
          "set one with --power ipmi://USER@BMC or wol://BROADCAST --mac MAC");
    }
    executor.submit(new Action.PowerOnHost("power-on/" + name + "/" + h.version(), name, Cause.user(who, "power on " + name)));
    return state.requireHost(name);
  }

  public Host powerOff(String name, String who) {
    Host h = state.requireHost(name);
    if (!h.power().canPowerOff()) {
      throw new InvalidInputException("power.off", "host '" + name + "' has no power-off method",
          "set one with --power-off ssh://root@HOST or --power ipmi://USER@BMC");
    }
    int vms = state.vmsOn(name).size();
    if (vms > 0) {
      throw new ConflictException("host '" + name + "' still has " + vms + " VM(s); migrate or stop them first");
    }
    executor.submit(new Action.PowerOffHost("power-off/" + name + "/" + h.version(), name, Cause.user(who, "power off " + name)));
    return state.requireHost(name);
  }

  // ---- networks and images ---------------------------------------------------------------------

  public Network createNetwork(Network n, String who) {
    if (n == null) {
      throw new InvalidInputException("body", "is empty", "send name, bridge and cidr");
    }
    if (state.network(n.name()).isPresent()) {
      throw new ConflictException("a network named '" + n.name() + "' already exists");
    }
    for (Network other : state.networks()) {
      if (other.overlaps(n)) {
        throw new InvalidInputException("cidr", n.cidr() + " overlaps network '" + other.name() + "' (" + other.cidr() + ")",
            "give each network its own subnet, or add VMs to '" + other.name() + "'");
      }
    }
    state.tx().put(n).journal(EntryKind.CREATED, SubjectKind.NETWORK, n.name(), null, null, null, Cause.user(who, "create network"),
        "bridge " + n.bridge() + ", " + n.cidr()).commit();
    return n;
  }

  public void deleteNetwork(String name, String who) {
    state.network(name).orElseThrow(() -> new org.corral.model.NotFoundException("network", name));
    List<String> users = new ArrayList<>();
    for (Vm v : state.vms()) {
      if (v.leases().stream().anyMatch(l -> l.network().equals(name))) {
        users.add(v.name());
      }
    }
    if (!users.isEmpty()) {
      throw new ConflictException("network '" + name + "' is used by " + users.size() + " VM(s) (" + users.get(0) + (users.size() > 1 ? ", ..." : "") + "); delete them first");
    }
    state.tx().deleteNetwork(name).journal(EntryKind.DELETED, SubjectKind.NETWORK, name, null, null, null, Cause.user(who, "delete network"), "deleted").commit();
  }

  public Image createImage(Image i, String who) {
    if (i == null) {
      throw new InvalidInputException("body", "is empty", "send name, pool, volume and sizeGib");
    }
    if (state.image(i.name()).isPresent()) {
      throw new ConflictException("an image named '" + i.name() + "' already exists");
    }
    state.tx().put(i).journal(EntryKind.CREATED, SubjectKind.IMAGE, i.name(), null, null, null, Cause.user(who, "create image"),
        i.pool() + "/" + i.volume() + (i.shared() ? " (shared)" : "")).commit();
    return i;
  }

  public void deleteImage(String name, String who) {
    state.image(name).orElseThrow(() -> new org.corral.model.NotFoundException("image", name));
    for (Vm v : state.vms()) {
      if (v.spec().disks().stream().anyMatch(d -> d.image().equals(name))) {
        throw new ConflictException("image '" + name + "' is used by VM " + v.name() + "; delete its VMs first");
      }
    }
    state.tx().deleteImage(name).journal(EntryKind.DELETED, SubjectKind.IMAGE, name, null, null, null, Cause.user(who, "delete image"), "deleted").commit();
  }
}
