package org.corral.drivers.libvirt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostFacts;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.hypervisor.MigrationProgress;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.libvirt.NodeInfo;
import org.libvirt.StorageVol;
import org.libvirt.event.LifecycleListener;
import org.libvirt.event.RebootListener;

/**
 * A connection to one host's libvirt. Every call runs on its own thread from {@link LibvirtThreads} and completes the
 * returned stage there, so a host that hangs holds up only the callers waiting on it. Each call has
 * a native connection to itself while it runs ({@link NativeLanes}: libvirt's client must not be
 * entered by two threads on one connection that may drop). Lifecycle
 * events arrive on libvirt's event-loop thread and are handed to listeners, in order, on this
 * connection's own event thread. The connection is declared dead (and CONNECTION_LOST emitted
 * once) when libvirt reports it closed (keepalive timeout, EOF, error) or when a call fails with a
 * connection error; it never reopens itself: the Monitor reconnects through {@link LibvirtDriver}.
 */
public final class LibvirtConnection implements HypervisorConnection {
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);
  /** {@code VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA}. */
  private static final int UNDEFINE_FLAGS = 1 | 2;
  /** {@code VIR_DOMAIN_UNDEFINE_NVRAM}: an adopted UEFI domain on QEMU cannot be undefined without it. */
  private static final int UNDEFINE_NVRAM = 4;
  private static final Duration SHUTDOWN_POLL = Duration.ofSeconds(1);
  /** How long a close waits for the calls in flight before it gives up closing the native handle. */
  private static final Duration CLOSE_AFTER_CALLS = Duration.ofMinutes(15);
  /**
   * Native connections per host at most, opened only as calls run side by side: the Monitor's
   * read is 2, each action 1 (a migration 2, for its progress); more calls wait for one to come
   * back. A shutdown holds none while it waits for the guest.
   */
  static final int MAX_NATIVE = 8;
  /** virDomainRebootFlagValues' VIR_DOMAIN_REBOOT_ACPI_POWER_BTN. */
  private static final int REBOOT_ACPI_POWER_BTN = 1;

  private final String uri;
  private final NativeConnect conn;
  private final NativeLanes lanes;
  private final DomainType type;
  private final int keepAliveIntervalSec;
  private final int keepAliveCount;
  private final ExecutorService calls = LibvirtThreads.newExecutor("libvirt-call");
  private final ExecutorService events;
  private final List<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean alive = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean(false);
  private final Object stateChanged = new Object();
  private final LifecycleListener lifecycle = this::onLifecycle;
  /** Restarts seen per domain (libvirt's reboot event, or a start event): how a reboot knows the guest went round. */
  private final Map<String, AtomicLong> restarts = new ConcurrentHashMap<>();
  private final RebootListener rebooted = this::onReboot;

  private LibvirtConnection(String uri, NativeConnect conn, DomainType type, int keepAliveIntervalSec, int keepAliveCount) {
    this.uri = uri;
    this.conn = conn;
    this.type = type;
    this.keepAliveIntervalSec = keepAliveIntervalSec;
    this.keepAliveCount = keepAliveCount;
    // Only test:/// runs in-process; every other URI, local qemu:/// included, talks to a daemon.
    this.lanes = new NativeLanes(conn, !inProcess(uri), MAX_NATIVE, this::openLane);
    this.events = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("libvirt-events").factory());
  }

  /**
   * Opens {@code uri} (blocking; the driver calls this on a LibvirtThreads thread) and registers the
   * lifecycle listener, the close callback and, except for {@code test:///}, keepalive.
   */
  static LibvirtConnection open(String uri, int keepAliveIntervalSec, int keepAliveCount) {
    LibvirtRuntime.ensureStarted();
    NativeConnect c;
    try {
      c = new NativeConnect(uri);
    } catch (LibvirtException e) {
      DriverException d = LibvirtErrors.map("connect", uri, null, e);
      // Any failure to open, other than refused credentials, means the host cannot be used now.
      throw d.kind() == Kind.AUTH ? d : new DriverException(Kind.UNREACHABLE, d.getMessage(), e);
    }
    DomainType type;
    try {
      type = domainType(uri, c);
    } catch (LibvirtException | RuntimeException e) {
      try {
        c.close();
      } catch (LibvirtException ignored) {
        // Already failing; the first error is the one to report.
      }
      throw e instanceof LibvirtException le ? LibvirtErrors.map("connect", uri, null, le) : (RuntimeException) e;
    }
    LibvirtConnection lc = new LibvirtConnection(uri, c, type, keepAliveIntervalSec, keepAliveCount);
    try {
      lc.watch(c);
      c.addLifecycleListener(lc.lifecycle);
      c.addRebootListener(lc.rebooted);
    } catch (LibvirtException e) {
      lc.close();
      throw LibvirtErrors.map("connect", uri, null, e);
    }
    return lc;
  }

  /**
   * A QEMU host's domain type comes from its capabilities: kvm where it offers hardware
   * acceleration, qemu (software emulation) where it does not; a define of type kvm on a host
   * without /dev/kvm fails ("could not get preferred machine ... type=kvm").
   */
  private static DomainType domainType(String uri, NativeConnect c) throws LibvirtException {
    DomainType family = DomainType.forUri(uri);
    return family.isQemu() ? DomainType.fromCapabilities(uri, c.getCapabilities()) : family;
  }

  /** The domain type this connection defines domains with (kvm, qemu, xen or test). */
  String domainTypeXml() {
    return type.xml();
  }

  private static boolean inProcess(String uri) {
    return "test".equals(org.corral.drivers.Drivers.scheme(uri));
  }

  /**
   * Keepalive and the close callback on one native connection: libvirt probes the peer, and
   * without an answer for interval x (count + 1) seconds closes the connection; the close
   * callback marks this connection lost. A transport without keepalive (an old daemon) still
   * works: only the close callback and failing calls detect loss then.
   */
  private void watch(NativeConnect c) throws LibvirtException {
    if (!inProcess(uri)) {
      try {
        c.setKeepAlive(keepAliveIntervalSec, keepAliveCount);
      } catch (LibvirtException e) {
        LOG.warn("no keepalive on {}: {}", LibvirtErrors.safeUri(uri), LibvirtErrors.redact(e.getMessage(), uri));
      }
    }
    c.registerCloseListener((connect, reason) -> endedByLibvirt(String.valueOf(reason)));
  }

  /**
   * libvirt closed one of the native connections (keepalive timeout, EOF, error): the connection
   * is lost; or, when Corral had closed it already and waits for its calls to return, this is
   * what lets them return (a daemon that stopped answering: keepalive), said once in the log.
   */
  private void endedByLibvirt(String reason) {
    if (closed.get()) {
      LOG.info("connection to {}, closed with calls still running, ended by libvirt: {}", LibvirtErrors.safeUri(uri),
          reason);
      return;
    }
    lost("closed by libvirt: " + reason);
  }

  /** One more native connection for calls that run beside the others (on the borrowing call's thread). */
  private NativeConnect openLane() throws LibvirtException {
    NativeConnect c = new NativeConnect(uri);
    try {
      watch(c);
    } catch (LibvirtException e) {
      closeQuietly(c, false);
      throw e;
    }
    return c;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public boolean isAlive() {
    return alive.get() && !closed.get();
  }

  @Override
  public CompletionStage<HostFacts> facts() {
    return call("facts", null, c -> {
      NodeInfo n = c.nodeInfo();
      return new HostFacts(c.getHostName(), c.getType(), c.getVersion(), n.cpus, n.mhz, n.memory / 1024,
          n.model);
    });
  }

  @Override
  public CompletionStage<List<DomainStatus>> domains() {
    return call("list domains", null, c -> {
      Map<String, DomainStatus> all = new LinkedHashMap<>();
      // A domain can vanish between listing and reading it; it is then left out, not an error.
      for (int id : c.listDomains()) {
        DomainStatus s = statusOrNull(c, lookup(() -> c.domainLookupByID(id)));
        if (s != null) {
          all.put(s.name(), s);
        }
      }
      for (String name : c.listDefinedDomains()) {
        DomainStatus s = statusOrNull(c, lookup(() -> c.domainLookupByName(name)));
        if (s != null) {
          all.putIfAbsent(name, s);
        }
      }
      return List.copyOf(all.values());
    });
  }

  @Override
  public CompletionStage<Optional<DomainStatus>> domain(String name) {
    return call("look up", name, c -> {
      Domain d = lookup(() -> c.domainLookupByName(name));
      return d == null ? Optional.empty() : Optional.of(status(c, d));
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code monotonicNanos} is {@link System#nanoTime()} read right after the counters: libvirt
   * gives its counters no timestamp, the reading itself takes from microseconds (local) to one
   * round trip (remote), and the Monitor divides by intervals of seconds, so the error is small
   * and both ends of a delta come from the same clock.
   */
  @Override
  public CompletionStage<HostStats> stats() {
    return call("stats", null, c -> {
      Map<String, Long> cpu = new LinkedHashMap<>();
      for (int id : c.listDomains()) {
        DomainStatus d = statusOrNull(c, lookup(() -> c.domainLookupByID(id)));
        if (d != null) {
          cpu.put(d.name(), d.cpuTimeNanos());
        }
      }
      long busy = hostBusy(c);
      long free = freeMemoryMib(c);
      return new HostStats(cpu, busy, free, System.nanoTime());
    });
  }

  private static long hostBusy(NativeConnect c) {
    try {
      return LibvirtNative.hostBusyNanos(c);
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

  private static long freeMemoryMib(NativeConnect c) {
    try {
      return c.getFreeMemory() / (1024 * 1024);
    } catch (LibvirtException e) {
      return -1;
    }
  }

  @Override
  public CompletionStage<Void> define(DomainSpec spec) {
    try {
      DomainSpecCheck.check(spec);
    } catch (InvalidInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return run("define", spec.name(), c -> {
      Domain existing = lookup(() -> c.domainLookupByName(spec.name()));
      if (existing != null && !existing.getUUIDString().equalsIgnoreCase(spec.uuid())) {
        throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("define", uri, spec.name())
            + ": a domain of that name exists with UUID " + existing.getUUIDString() + ", not " + spec.uuid()
            + "; pick another name or remove the other domain");
      }
      if (existing == null) {
        Domain sameUuid = lookup(() -> c.domainLookupByUUIDString(spec.uuid()));
        if (sameUuid != null) {
          throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("define", uri, spec.name())
              + ": UUID " + spec.uuid() + " belongs to domain '" + sameUuid.getName() + "'; give a new UUID");
        }
      }
      List<StorageVol> created = new ArrayList<>();
      DomainStorage storage = new DomainStorage(c, uri);
      try {
        List<String> overlays = storage.overlays(spec, created);
        String seed = spec.userData() == null ? null : storage.seed(spec, created);
        if (existing == null) {
          c.domainDefineXML(DomainXml.render(spec, type, overlays, seed));
        }
      } catch (LibvirtException | RuntimeException e) {
        storage.rollback(created);
        throw e;
      }
    });
  }

  @Override
  public CompletionStage<Void> start(String name) {
    return run("start", name, c -> {
      Domain d = require(c, name, "start");
      if (d.isActive() == 0) {
        d.create();
      }
    });
  }

  @Override
  public CompletionStage<Void> shutdown(String name, Duration timeout) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    // A native connection only for each step, none while waiting: a guest slow to shut down
    // must not hold one of the host's few (NativeLanes) from the Monitor's reads.
    submit("shut down", name, f, () -> {
      boolean active = onLane(c -> {
        Domain d = require(c, name, "shut down");
        if (d.isActive() == 0) {
          return false;
        }
        try {
          d.shutdown();
        } catch (LibvirtException e) {
          if (d.isActive() == 0) {
            return false;
          }
          throw e;
        }
        return d.isActive() != 0;
      });
      // Waits on a real guest's ACPI shutdown, bounded by the timeout; events wake the wait early.
      long deadline = System.nanoTime() + timeout.toNanos();
      while (active) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          runOnLane(c -> destroyIfActive(require(c, name, "shut down")));
          break;
        }
        awaitStateChange(Math.min(left, SHUTDOWN_POLL.toNanos()));
        active = onLane(c -> require(c, name, "shut down").isActive() != 0);
      }
      f.complete(null);
    });
    return f;
  }

  @Override
  public CompletionStage<Void> destroy(String name) {
    return run("destroy", name, c -> {
      destroyIfActive(require(c, name, "destroy"));
    });
  }

  private static void destroyIfActive(Domain d) throws LibvirtException {
    if (d.isActive() == 0) {
      return;
    }
    try {
      d.destroy();
    } catch (LibvirtException e) {
      if (d.isActive() != 0) {
        throw e;
      }
    }
  }

  @Override
  public CompletionStage<Void> undefine(String name, boolean removeStorage) {
    return run("undefine", name, c -> {
      Domain d = lookup(() -> c.domainLookupByName(name));
      if (d != null) {
        if (d.isActive() != 0) {
          throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("undefine", uri, name)
              + ": the domain is running; shut it down or destroy it first");
        }
        try {
          d.undefine(type.isQemu() ? UNDEFINE_FLAGS | UNDEFINE_NVRAM : UNDEFINE_FLAGS);
        } catch (LibvirtException e) {
          if (LibvirtErrors.code(e) != LibvirtErrorCodes.NO_DOMAIN) {
            throw e;
          }
        }
      }
      if (removeStorage) {
        new DomainStorage(c, uri).removeOwned(name);
      }
    });
  }

  @Override
  public CompletionStage<Void> reboot(String name, Duration timeout) {
    return run("reboot", name, c -> {
      Domain d = require(c, name, "reboot");
      if (d.isActive() == 0) {
        throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("reboot", uri, name)
            + ": the domain is not running; start it instead");
      }
      long before = restarts(name);
      // QEMU: the ACPI power button with libvirt's "fake reboot" (the guest's power-off is turned into
      // a reset), not the default, which prefers the guest agent: an agent whose guest powers off on
      // `shutdown -r` (the QEMU lab's busybox guest did) ends the domain instead of rebooting it.
      // Xen's libxl takes no ACPI flag: its default.
      d.reboot(type.isQemu() ? REBOOT_ACPI_POWER_BTN : 0);
      // Waits for the guest to go round (a reboot or start event), bounded by the timeout; then resets it.
      long deadline = System.nanoTime() + timeout.toNanos();
      while (restarts(name) == before) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.info("domain {} on {} did not reboot within {}; resetting it", name, LibvirtErrors.safeUri(uri), timeout);
          if (d.isActive() != 0) {
            d.reset();
          } else {
            d.create();
          }
          return;
        }
        awaitStateChange(Math.min(left, SHUTDOWN_POLL.toNanos()));
      }
    });
  }

  private long restarts(String name) {
    AtomicLong n = restarts.get(name);
    return n == null ? 0 : n.get();
  }

  private void onReboot(Domain d) {
    try {
      noteRestart(d.getName());
    } catch (LibvirtException ignored) {
      // The domain went away meanwhile; nobody waits on it.
    }
  }

  private void noteRestart(String name) {
    restarts.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    synchronized (stateChanged) {
      stateChanged.notifyAll();
    }
  }

  @Override
  public CompletionStage<Void> migrate(String name, HypervisorConnection destination, MigrationOptions options,
      Consumer<MigrationProgress> progress) {
    MigrationRequest request;
    try {
      request = MigrationRequest.of(destination.uri(), options);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new InvalidInputException("options.bandwidthMibPerSec", String.valueOf(e.getMessage()),
          "give 0 for unlimited or a positive MiB/s"));
    }
    return run("migrate", name, c -> {
      Domain d = require(c, name, "migrate");
      if (d.isActive() == 0) {
        throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("migrate", uri, name)
            + ": the domain is not running; live migration needs a running domain");
      }
      // The migration holds this native connection; its progress and abort go on another one.
      new MigrationJob(d, name, uri, request, options.timeout(), progress, this::onOtherLane).run(calls);
    });
  }

  /**
   * Sends one QEMU guest agent command to {@code domain} and returns the agent's JSON reply
   * ({@code virDomainQemuAgentCommand}). Used by the guest-exec driver; fails with UNSUPPORTED on
   * hypervisors without an agent channel (Xen, test), TIMEOUT when the agent does not answer.
   *
   * @param json       one QMP-style command, e.g. {@code {"execute":"guest-ping"}}
   * @param timeoutSec seconds libvirt waits for the agent's answer (at least 1)
   */
  public CompletionStage<String> agentCommand(String domain, String json, int timeoutSec) {
    return call("guest agent command", domain, c -> {
      Domain d = require(c, domain, "guest agent command");
      if (d.isActive() == 0) {
        throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("guest agent command", uri, domain)
            + ": the domain is not running");
      }
      return d.qemuAgentCommand(json, Math.max(1, timeoutSec), 0);
    });
  }

  /** The underlying libvirt handle, for tests that inspect what the test driver holds. */
  NativeConnect nativeForTests() {
    return conn;
  }

  @Override
  public void onEvent(Consumer<DomainEvent> listener) {
    listeners.add(listener);
  }

  /**
   * Closes the connection. Further calls fail with UNREACHABLE at once. The native close waits
   * until the calls already running on this connection have returned (closing a remote connection
   * under a call in flight crashed the JVM in libvirt's client, met when the Monitor reconnected
   * to a lab node whose libvirtd was stopped); a call to a daemon that stopped answering returns
   * when keepalive gives up on it. The close itself runs on libvirt's event-loop thread so that it
   * cannot race an event callback for this connection.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    calls.shutdown();
    events.shutdown();
    if (calls.isTerminated()) {
      LibvirtNative.onEventLoop(this::closeNative);
      return;
    }
    Thread.ofVirtual().name("libvirt-close").start(() -> {
      try {
        if (!calls.awaitTermination(CLOSE_AFTER_CALLS.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          // Closing under a call that never returns could crash the process: leave the handle.
          LOG.warn("connection to {} not closed: a call on it has not returned within {}", LibvirtErrors.safeUri(uri),
              CLOSE_AFTER_CALLS);
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      LibvirtNative.onEventLoop(this::closeNative);
    });
  }

  private void closeNative() {
    for (NativeConnect c : lanes.close()) {
      closeQuietly(c, c == conn);
    }
  }

  private void closeQuietly(NativeConnect c, boolean hasLifecycleListener) {
    if (hasLifecycleListener) {
      try {
        c.removeLifecycleListener(lifecycle);
      } catch (LibvirtException | RuntimeException ignored) {
        // The connection may already be broken; closing goes on.
      }
    }
    try {
      c.unregisterCloseListener();
    } catch (LibvirtException | RuntimeException ignored) {
      // As above.
    }
    try {
      c.close();
    } catch (LibvirtException | RuntimeException ignored) {
      // As above.
    }
  }

  /** Runs {@code body} on a native connection lent to the calling thread alone, then gives it back. */
  private <T> T onLane(LibvirtCall<T> body) throws LibvirtException, InterruptedException {
    NativeConnect c = lanes.borrow();
    try {
      return body.call(c);
    } finally {
      lanes.release(c);
    }
  }

  /** {@link #onLane} for work without a result. */
  private void runOnLane(LibvirtAction action) throws LibvirtException, InterruptedException {
    NativeConnect c = lanes.borrow();
    try {
      action.run(c);
    } finally {
      lanes.release(c);
    }
  }

  /**
   * Runs {@code action} beside a call that holds its own native connection (a migration's
   * progress and abort): on one free or newly opened, or with {@code wait} on the next one given
   * back when all are lent. False when all were lent and {@code wait} is false.
   */
  private boolean onOtherLane(LibvirtAction action, boolean wait) throws LibvirtException, InterruptedException {
    if (wait) {
      runOnLane(action);
      return true;
    }
    NativeConnect c = lanes.tryBorrow();
    if (c == null) {
      return false;
    }
    try {
      action.run(c);
      return true;
    } finally {
      lanes.release(c);
    }
  }

  /** Native connections opened so far (for tests). */
  int nativeConnections() {
    return lanes.opened();
  }

  private int onLifecycle(Domain d, org.libvirt.event.DomainEvent e) {
    synchronized (stateChanged) {
      stateChanged.notifyAll();
    }
    DomainEvent.Kind kind = DomainStates.of(e);
    if (kind == null) {
      return 0;
    }
    String name;
    try {
      name = d.getName();
    } catch (LibvirtException ex) {
      return 0;
    }
    if (kind == DomainEvent.Kind.STARTED) {
      noteRestart(name);
    }
    emit(new DomainEvent(uri, name, kind));
    return 0;
  }

  /** Marks the connection dead and tells listeners, once. */
  void lost(@Nullable String why) {
    if (closed.get() || !alive.compareAndSet(true, false)) {
      return;
    }
    LOG.warn("connection to {} lost: {}", LibvirtErrors.safeUri(uri), LibvirtErrors.redact(why, uri));
    emit(new DomainEvent(uri, null, DomainEvent.Kind.CONNECTION_LOST));
  }

  private void emit(DomainEvent event) {
    if (events.isShutdown()) {
      return;
    }
    try {
      events.execute(() -> {
        for (Consumer<DomainEvent> l : listeners) {
          try {
            l.accept(event);
          } catch (RuntimeException ignored) {
            // One failing listener must not starve the others of events.
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException ignored) {
      // Closed meanwhile.
    }
  }

  private void awaitStateChange(long nanos) throws InterruptedException {
    synchronized (stateChanged) {
      stateChanged.wait(Math.max(1, nanos / 1_000_000));
    }
  }

  private DomainStatus status(NativeConnect c, Domain d) throws LibvirtException {
    DomainInfo i = d.getInfo();
    String uuid = d.getUUIDString();
    DomainState state = DomainStates.of(i.state);
    if (state == DomainState.SHUTOFF && type.isQemu() && crashed(c, uuid)) {
      // QEMU killed under a running guest leaves it SHUTOFF with reason CRASHED, not CRASHED:
      // report the crash, so that the Monitor does not take it for a stop outside Corral.
      state = DomainState.CRASHED;
    }
    return new DomainStatus(d.getName(), uuid, state, d.isPersistent() == 1, i.nrVirtCpu, i.memory / 1024, i.cpuTime);
  }

  private static boolean crashed(NativeConnect c, String uuid) {
    try {
      return LibvirtNative.stateReason(c, uuid) == LibvirtNative.SHUTOFF_CRASHED;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private @Nullable DomainStatus statusOrNull(NativeConnect c, @Nullable Domain d) throws LibvirtException {
    if (d == null) {
      return null;
    }
    try {
      return status(c, d);
    } catch (LibvirtException e) {
      if (LibvirtErrors.code(e) == LibvirtErrorCodes.NO_DOMAIN) {
        return null;
      }
      throw e;
    }
  }

  private Domain require(NativeConnect c, String name, String op) throws LibvirtException {
    Domain d = lookup(() -> c.domainLookupByName(name));
    if (d == null) {
      throw new DriverException(Kind.NOT_FOUND, LibvirtErrors.describe(op, uri, name) + ": no such domain");
    }
    return d;
  }

  @FunctionalInterface
  private interface LibvirtCall<T> {
    T call(NativeConnect c) throws LibvirtException, InterruptedException;
  }

  @FunctionalInterface
  interface LibvirtAction {
    void run(NativeConnect c) throws LibvirtException, InterruptedException;
  }

  /** Work on a call's thread that borrows native connections itself, step by step ({@link #onLane}). */
  @FunctionalInterface
  private interface Steps {
    void run() throws LibvirtException, InterruptedException;
  }

  @FunctionalInterface
  private interface Lookup {
    Domain find() throws LibvirtException;
  }

  /** Runs a lookup; a missing domain gives null instead of an error. */
  private static @Nullable Domain lookup(Lookup lookup) throws LibvirtException {
    try {
      return lookup.find();
    } catch (LibvirtException e) {
      if (LibvirtErrors.code(e) == LibvirtErrorCodes.NO_DOMAIN) {
        return null;
      }
      throw e;
    }
  }

  /** Runs {@code body} on a LibvirtThreads thread, mapping libvirt errors and noting a lost connection. */
  private <T> CompletionStage<T> call(String op, @Nullable String domain, LibvirtCall<T> body) {
    CompletableFuture<T> f = new CompletableFuture<>();
    submit(op, domain, f, () -> f.complete(onLane(body)));
    return f;
  }

  /** {@link #call} for an operation without a result: the stage completes with null, as Void stages do. */
  private CompletionStage<Void> run(String op, @Nullable String domain, LibvirtAction body) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    submit(op, domain, f, () -> {
      runOnLane(body);
      f.complete(null);
    });
    return f;
  }

  /** Runs {@code task}, which completes {@code f}, on a LibvirtThreads thread; fails {@code f} instead on any error. */
  private void submit(String op, @Nullable String domain, CompletableFuture<?> f, Steps task) {
    if (closed.get() || !alive.get()) {
      // libvirt never reopens a dropped connection: fail fast and let the Monitor reconnect.
      f.completeExceptionally(new DriverException(Kind.UNREACHABLE,
          LibvirtErrors.describe(op, uri, domain) + ": connection " + (closed.get() ? "closed" : "lost") + "; reconnect"));
      return;
    }
    try {
      calls.execute(() -> {
        try {
          task.run();
        } catch (LibvirtException e) {
          DriverException d = LibvirtErrors.map(op, uri, domain, e);
          if (d.kind() == Kind.UNREACHABLE) {
            lost(d.getMessage());
          }
          f.completeExceptionally(d);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          f.completeExceptionally(new DriverException(Kind.TRANSIENT, LibvirtErrors.describe(op, uri, domain)
              + ": interrupted", e));
        } catch (LinkageError e) {
          f.completeExceptionally(new DriverException(Kind.UNSUPPORTED, LibvirtErrors.describe(op, uri, domain)
              + ": a libvirt native library is missing (" + e.getMessage() + "); install libvirt0", e));
        } catch (Throwable t) {
          f.completeExceptionally(t instanceof DriverException || t instanceof InvalidInputException ? t
              : new DriverException(Kind.TRANSIENT, LibvirtErrors.describe(op, uri, domain) + ": " + t, t));
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      f.completeExceptionally(new DriverException(Kind.UNREACHABLE, LibvirtErrors.describe(op, uri, domain)
          + ": connection closed; reconnect"));
    }
  }
}
