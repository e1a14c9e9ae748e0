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
 * returned stage there, so a host that hangs holds up only the callers waiting on it. Lifecycle
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

  private final String uri;
  private final NativeConnect conn;
  private final DomainType type;
  private final DomainStorage storage;
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

  private LibvirtConnection(String uri, NativeConnect conn, DomainType type) {
    this.uri = uri;
    this.conn = conn;
    this.type = type;
    this.storage = new DomainStorage(conn, uri);
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
    LibvirtConnection lc = new LibvirtConnection(uri, c, type);
    try {
      // Only test:/// runs in-process; every other URI, local qemu:/// included, talks to a daemon.
      if (!"test".equals(org.corral.drivers.Drivers.scheme(uri))) {
        lc.startKeepAlive(keepAliveIntervalSec, keepAliveCount);
      }
      c.registerCloseListener((connect, reason) -> lc.lost("closed by libvirt: " + reason));
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

  /**
   * Asks libvirt to probe the peer; without an answer for interval x (count + 1) seconds libvirt
   * closes the connection and the close callback marks it lost. A transport without keepalive
   * (an old daemon) still works: only the close callback and failing calls detect loss then.
   */
  private void startKeepAlive(int intervalSec, int count) {
    try {
      conn.setKeepAlive(intervalSec, count);
    } catch (LibvirtException e) {
      LOG.warn("no keepalive on {}: {}", LibvirtErrors.safeUri(uri), LibvirtErrors.redact(e.getMessage(), uri));
    }
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
    return call("facts", null, () -> {
      NodeInfo n = conn.nodeInfo();
      return new HostFacts(conn.getHostName(), conn.getType(), conn.getVersion(), n.cpus, n.mhz, n.memory / 1024,
          n.model);
    });
  }

  @Override
  public CompletionStage<List<DomainStatus>> domains() {
    return call("list domains", null, () -> {
      Map<String, DomainStatus> all = new LinkedHashMap<>();
      // A domain can vanish between listing and reading it; it is then left out, not an error.
      for (int id : conn.listDomains()) {
        DomainStatus s = statusOrNull(lookup(() -> conn.domainLookupByID(id)));
        if (s != null) {
          all.put(s.name(), s);
        }
      }
      for (String name : conn.listDefinedDomains()) {
        DomainStatus s = statusOrNull(lookup(() -> conn.domainLookupByName(name)));
        if (s != null) {
          all.putIfAbsent(name, s);
        }
      }
      return List.copyOf(all.values());
    });
  }

  @Override
  public CompletionStage<Optional<DomainStatus>> domain(String name) {
    return call("look up", name, () -> {
      Domain d = lookup(() -> conn.domainLookupByName(name));
      return d == null ? Optional.empty() : Optional.of(status(d));
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
    return call("stats", null, () -> {
      Map<String, Long> cpu = new LinkedHashMap<>();
      for (int id : conn.listDomains()) {
        DomainStatus d = statusOrNull(lookup(() -> conn.domainLookupByID(id)));
        if (d != null) {
          cpu.put(d.name(), d.cpuTimeNanos());
        }
      }
      long busy = hostBusy();
      long free = freeMemoryMib();
      return new HostStats(cpu, busy, free, System.nanoTime());
    });
  }

  private long hostBusy() {
    try {
      return LibvirtNative.hostBusyNanos(conn);
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

  private long freeMemoryMib() {
    try {
      return conn.getFreeMemory() / (1024 * 1024);
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
    return run("define", spec.name(), () -> {
      Domain existing = lookup(() -> conn.domainLookupByName(spec.name()));
      if (existing != null && !existing.getUUIDString().equalsIgnoreCase(spec.uuid())) {
        throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("define", uri, spec.name())
            + ": a domain of that name exists with UUID " + existing.getUUIDString() + ", not " + spec.uuid()
            + "; pick another name or remove the other domain");
      }
      if (existing == null) {
        Domain sameUuid = lookup(() -> conn.domainLookupByUUIDString(spec.uuid()));
        if (sameUuid != null) {
          throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("define", uri, spec.name())
              + ": UUID " + spec.uuid() + " belongs to domain '" + sameUuid.getName() + "'; give a new UUID");
        }
      }
      List<StorageVol> created = new ArrayList<>();
      try {
        List<String> overlays = storage.overlays(spec, created);
        String seed = spec.userData() == null ? null : storage.seed(spec, created);
        if (existing == null) {
          conn.domainDefineXML(DomainXml.render(spec, type, overlays, seed));
        }
      } catch (LibvirtException | RuntimeException e) {
        storage.rollback(created);
        throw e;
      }
    });
  }

  @Override
  public CompletionStage<Void> start(String name) {
    return run("start", name, () -> {
      Domain d = require(name, "start");
      if (d.isActive() == 0) {
        d.create();
      }
    });
  }

  @Override
  public CompletionStage<Void> shutdown(String name, Duration timeout) {
    return run("shut down", name, () -> {
      Domain d = require(name, "shut down");
      if (d.isActive() == 0) {
        return;
      }
      try {
        d.shutdown();
      } catch (LibvirtException e) {
        if (d.isActive() == 0) {
          return;
        }
        throw e;
      }
      // Waits on a real guest's ACPI shutdown, bounded by the timeout; events wake the wait early.
      long deadline = System.nanoTime() + timeout.toNanos();
      while (d.isActive() != 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          destroyIfActive(d);
          break;
        }
        awaitStateChange(Math.min(left, SHUTDOWN_POLL.toNanos()));
      }
    });
  }

  @Override
  public CompletionStage<Void> destroy(String name) {
    return run("destroy", name, () -> {
      destroyIfActive(require(name, "destroy"));
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
    return run("undefine", name, () -> {
      Domain d = lookup(() -> conn.domainLookupByName(name));
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
        storage.removeOwned(name);
      }
    });
  }

  @Override
  public CompletionStage<Void> reboot(String name, Duration timeout) {
    return run("reboot", name, () -> {
      Domain d = require(name, "reboot");
      if (d.isActive() == 0) {
        throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("reboot", uri, name)
            + ": the domain is not running; start it instead");
      }
      long before = restarts(name);
      d.reboot(0); // VIR_DOMAIN_REBOOT_DEFAULT: the hypervisor's graceful way (ACPI, or the guest agent)
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
    return run("migrate", name, () -> {
      Domain d = require(name, "migrate");
      if (d.isActive() == 0) {
        throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("migrate", uri, name)
            + ": the domain is not running; live migration needs a running domain");
      }
      new MigrationJob(d, name, uri, request, options.timeout(), progress).run(calls);
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
    return call("guest agent command", domain, () -> {
      Domain d = require(domain, "guest agent command");
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
    try {
      conn.removeLifecycleListener(lifecycle);
    } catch (LibvirtException | RuntimeException ignored) {
      // The connection may already be broken; closing goes on.
    }
    try {
      conn.unregisterCloseListener();
    } catch (LibvirtException | RuntimeException ignored) {
      // As above.
    }
    try {
      conn.close();
    } catch (LibvirtException | RuntimeException ignored) {
      // As above.
    }
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

  private DomainStatus status(Domain d) throws LibvirtException {
    DomainInfo i = d.getInfo();
    String uuid = d.getUUIDString();
    DomainState state = DomainStates.of(i.state);
    if (state == DomainState.SHUTOFF && type.isQemu() && crashed(uuid)) {
      // QEMU killed under a running guest leaves it SHUTOFF with reason CRASHED, not CRASHED:
      // report the crash, so that the Monitor does not take it for a stop outside Corral.
      state = DomainState.CRASHED;
    }
    return new DomainStatus(d.getName(), uuid, state, d.isPersistent() == 1, i.nrVirtCpu, i.memory / 1024, i.cpuTime);
  }

  private boolean crashed(String uuid) {
    try {
      return LibvirtNative.stateReason(conn, uuid) == LibvirtNative.SHUTOFF_CRASHED;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private @Nullable DomainStatus statusOrNull(@Nullable Domain d) throws LibvirtException {
    if (d == null) {
      return null;
    }
    try {
      return status(d);
    } catch (LibvirtException e) {
      if (LibvirtErrors.code(e) == LibvirtErrorCodes.NO_DOMAIN) {
        return null;
      }
      throw e;
    }
  }

  private Domain require(String name, String op) throws LibvirtException {
    Domain d = lookup(() -> conn.domainLookupByName(name));
    if (d == null) {
      throw new DriverException(Kind.NOT_FOUND, LibvirtErrors.describe(op, uri, name) + ": no such domain");
    }
    return d;
  }

  @FunctionalInterface
  private interface LibvirtCall<T> {
    T call() throws LibvirtException, InterruptedException;
  }

  @FunctionalInterface
  private interface LibvirtAction {
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
    submit(op, domain, f, () -> f.complete(body.call()));
    return f;
  }

  /** {@link #call} for an operation without a result: the stage completes with null, as Void stages do. */
  private CompletionStage<Void> run(String op, @Nullable String domain, LibvirtAction body) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    submit(op, domain, f, () -> {
      body.run();
      f.complete(null);
    });
    return f;
  }

  /** Runs {@code task}, which completes {@code f}, on a LibvirtThreads thread; fails {@code f} instead on any error. */
  private void submit(String op, @Nullable String domain, CompletableFuture<?> f, LibvirtAction task) {
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
