package org.corral.controller.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.Consumer;
import org.corral.controller.store.Changes;
import org.corral.controller.store.Store;
import org.corral.controller.store.StoredState;
import org.corral.model.NotFoundException;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.Group;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.Usage;
import org.corral.model.auth.User;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.image.Image;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.Cause;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Samples;
import org.jspecify.annotations.Nullable;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Clock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;

/**
 * Hosts, VMs, networks, images and what the Monitor observed. Reads return immutable records;
 * writes go through {@link #tx}. Journal listeners (the event stream, metrics) are told of each
 * entry after it is durable.
 *
 * <p>The collections are persistent maps (pcollections): a change makes a new version in
 * O(log n) and leaves the old one as it was, so a snapshot takes them as they are, in O(1), and
 * consecutive snapshots share everything that did not change.
 */
public final class ControllerState {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControllerState.class);
  private final Store store;
  private final Clock clock;
  // Volatile: the API's threads read them without hopping onto the loop (see published()).
  private volatile TreePMap<String, Host> hosts = TreePMap.empty();
  private volatile TreePMap<String, Vm> vms = TreePMap.empty();
  private TreePMap<String, Network> networks = TreePMap.empty();
  private TreePMap<String, Image> images = TreePMap.empty();
  // Soft state (memory only): rebuilt by the Monitor's polls after a restart.
  // Volatile: a persistent map, replaced on the loop and read whole by the API (publishedMetrics).
  private volatile PMap<String, HostObservation> hostObservations = HashTreePMap.empty();
  // Lookups by name are hot (every poll, every precheck): O(1) beside the persistent sorted map.
  private final Map<String, Vm> vmByName = new HashMap<>();
  /** What an unpolled host's observation is: one shared instance, not one per call. */
  private final HostObservation unobserved;
  private final Map<String, String> hostByUri = new HashMap<>();
  private final List<Consumer<JournalEntry>> listeners = new CopyOnWriteArrayList<>();
  private java.time.Instant lastVmDeletion = java.time.Instant.EPOCH;
  // Indexes over vms, kept in step by index()/unindex(), so that per-host and per-address
  // questions cost O(answer) instead of a scan of every VM (hot in the Monitor and executor).
  // Persistent and volatile, like hosts and vms: sorted names per host, read off the loop by
  // GET /vms?host= through published().
  private volatile PMap<String, TreePSet<String>> vmsByHost = HashTreePMap.empty();
  private final Map<String, java.util.Set<String>> vmsByTarget = new HashMap<>();
  private final Map<String, String> vmByUuid = new HashMap<>();
  private final Map<String, String> vmByShortId = new HashMap<>();
  private final Map<String, java.util.Set<String>> ipsByNetwork = new HashMap<>();
  private final java.util.Set<String> macs = new java.util.HashSet<>();
  private final java.util.Set<String> pendingVms = new java.util.HashSet<>();
  /** VMs per state (status, health and metrics count without a pass over every VM). */
  private final Map<VmState, Integer> vmsByState = new java.util.EnumMap<>(VmState.class);
  // What snapshots would otherwise derive with a pass over every VM (Snapshot.Index).
  private PMap<String, org.corral.model.snapshot.Reservation> reservations = HashTreePMap.empty();
  private final java.util.Set<String> grouped = new java.util.HashSet<>();
  // Accounts: volatile persistent maps, read off the loop by the API's authentication.
  private volatile TreePMap<String, User> users = TreePMap.empty();
  private volatile TreePMap<String, Group> groups = TreePMap.empty();
  private volatile TreePMap<String, ApiToken> tokens = TreePMap.empty();
  private volatile TreePMap<String, AccessKey> accessKeys = TreePMap.empty();
  private volatile TreePMap<String, KeyPair> keyPairs = TreePMap.empty();
  /** What each owner's VMs hold against quotas, kept by index()/unindex() (read on the loop). */
  private final Map<String, Usage> usageByOwner = new HashMap<>();

  public ControllerState(Store store, Clock clock) {
    this(store, clock, Samples.DEFAULT_CAPACITY);
  }

  /** @param historyCapacity samples kept per utilisation history (at least 12 for regression detectors) */
  public ControllerState(Store store, Clock clock, int historyCapacity) {
    this(store, clock, historyCapacity, Runnable::run);
  }

  /**
   * @param writer where the store's writes run: a thread of their own beside a real-time loop,
   *     or inline ({@code Runnable::run}) on a virtual clock, where runs must be deterministic
   */
  public ControllerState(Store store, Clock clock, int historyCapacity, java.util.concurrent.Executor writer) {
    this.store = store;
    this.clock = clock;
    this.writer = writer;
    this.unobserved = HostObservation.none(historyCapacity);
  }

  /** Loads what the store holds; returns the unfinished actions for the executor to resume. */
  public StoredState load() {
    StoredState s = store.load();
    s.hosts().forEach(this::putHost);
    // Images before VMs: a VM's quota usage counts the size of the images its disks clone.
    s.images().forEach(i -> images = images.plus(i.name(), i));
    s.networks().forEach(n -> networks = networks.plus(n.name(), n));
    s.vms().forEach(this::putVm);
    s.accounts().users().forEach(u -> users = users.plus(u.name(), u));
    s.accounts().groups().forEach(g -> groups = groups.plus(g.name(), g));
    s.accounts().tokens().forEach(t -> tokens = tokens.plus(t.id(), t));
    s.accounts().accessKeys().forEach(k -> accessKeys = accessKeys.plus(k.id(), k));
    s.accounts().keyPairs().forEach(k -> keyPairs = keyPairs.plus(k.id(), k));
    published = publishable();
    publishedSeq = store.lastSeq();
    return s;
  }

  public Store store() {
    return store;
  }

  public Clock clock() {
    return clock;
  }

  // ---- reads -------------------------------------------------------------------------------

  public Optional<Host> host(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  public Host requireHost(String name) {
    Host h = hosts.get(name);
    if (h == null) {
      throw new NotFoundException("host", name);
    }
    return h;
  }

  public Optional<Vm> vm(String name) {
    return Optional.ofNullable(vmByName.get(name));
  }

  public Vm requireVm(String name) {
    Vm v = vmByName.get(name);
    if (v == null) {
      throw new NotFoundException("vm", name);
    }
    return v;
  }

  /** Every host, by name: an immutable view (the map it comes from never changes). */
  public Collection<Host> hosts() {
    return hosts.values();
  }

  /** Every vm, by name: an immutable view (the map it comes from never changes). */
  public Collection<Vm> vms() {
    return vms.values();
  }

  /**
   * Hosts and VMs as of the last write to the store (never what a crash could still take back), safe to read from any thread: the maps are persistent
   * (never changed, only replaced), so a reader holds a consistent version however long it reads,
   * and the loop never waits for it. Reads that need the loop's indexes still go through it.
   */
  public Published published() {
    return published;
  }

  /**
   * The journal's last entry whose batch {@link #published()} already shows, safe to read from any
   * thread. Set after the view it goes with: a reader that reads this and then {@code published()}
   * sees every entry up to it reflected there. An entry above it may be in the store already (the
   * writer has written it, the loop has not yet published it); its listeners have not been told.
   */
  public long publishedSeq() {
    return publishedSeq;
  }

  /** The current version to publish: the persistent maps as they are, and a copy of the counts. */
  private Published publishable() {
    return new Published(hosts, vms, vmsByHost, Map.copyOf(vmsByState), networks, images);
  }

  /**
   * Immutable versions of the hosts, the VMs (sorted by name), the names of the VMs on each host,
   * the networks and the images; each is as of a commit (two may be a commit apart).
   */
  public record Published(TreePMap<String, Host> hosts, TreePMap<String, Vm> vms, PMap<String, TreePSet<String>> vmsByHost,
      Map<VmState, Integer> vmsByState, TreePMap<String, Network> networks, TreePMap<String, Image> images) {
    /** Names of the VMs whose host is {@code host}, sorted. */
    public TreePSet<String> vmNamesOn(String host) {
      return vmsByHost.getOrDefault(host, TreePSet.empty());
    }
  }

  // ---- accounts (safe off the loop: immutable maps behind volatile fields) ----------------------

  public Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  public Collection<User> users() {
    return users.values();
  }

  public Optional<Group> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  public Collection<Group> groups() {
    return groups.values();
  }

  public Optional<ApiToken> token(String id) {
    return Optional.ofNullable(tokens.get(id));
  }

  public Collection<ApiToken> tokens() {
    return tokens.values();
  }

  /** An EC2 access key by id (any thread: the EC2 API authenticates off the loop). */
  public Optional<AccessKey> accessKey(String id) {
    return Optional.ofNullable(accessKeys.get(id));
  }

  public Collection<AccessKey> accessKeys() {
    return accessKeys.values();
  }

  /** {@code user}'s key pair {@code name} (any thread). */
  public Optional<KeyPair> keyPair(String user, String name) {
    return Optional.ofNullable(keyPairs.get(user + "/" + name));
  }

  /** {@code user}'s key pairs, by name (any thread). */
  public Collection<KeyPair> keyPairs(String user) {
    return keyPairs.subMap(user + "/", user + "0").values(); // '0' follows '/': exactly this user's
  }

  /** What {@code owner}'s VMs hold against quotas (on the loop). */
  public Usage usage(String owner) {
    return usageByOwner.getOrDefault(owner, Usage.NONE);
  }

  /** What a VM of {@code spec} holds against quotas: one VM, its vCPUs, memory and disks (size 0 counts the image's). */
  public Usage usageOf(org.corral.model.vm.VmSpec spec) {
    long disk = 0;
    for (var d : spec.disks()) {
      Image i = images.get(d.image());
      disk += d.sizeGib() > 0 ? d.sizeGib() : i == null ? 0 : i.sizeGib();
    }
    return new Usage(1, spec.cpus(), spec.memoryMib(), disk);
  }

  public Optional<Network> network(String name) {
    return Optional.ofNullable(networks.get(name));
  }

  /** Every network, by name: an immutable view (the map it comes from never changes). */
  public Collection<Network> networks() {
    return networks.values();
  }

  public Optional<Image> image(String name) {
    return Optional.ofNullable(images.get(name));
  }

  /** Every image, by name: an immutable view (the map it comes from never changes). */
  public Collection<Image> images() {
    return images.values();
  }

  /**
   * When a VM was last forgotten. The Monitor will not adopt a domain from an observation that
   * started before this: it may be the deleted VM's domain, read before it was undefined.
   */
  public java.time.Instant lastVmDeletion() {
    return lastVmDeletion;
  }

  public HostMetrics metrics(String host) {
    return observation(host).metrics();
  }

  /**
   * Any thread: the metrics the Monitor last observed of {@code host} (zero before its first poll).
   * Observations are soft state, replaced whole on the loop, so this needs no hop onto it.
   */
  public HostMetrics publishedMetrics(String host) {
    HostObservation o = hostObservations.get(host);
    return (o != null ? o : unobserved).metrics();
  }

  /** Any thread: what the Monitor last observed of VM {@code vm} on {@code host}, or null (not running there, or not polled yet). */
  public org.corral.model.snapshot.@org.jspecify.annotations.Nullable VmObservation publishedVmObservation(String host, String vm) {
    HostObservation o = hostObservations.get(host);
    return o == null ? null : o.vms().get(vm);
  }

  /** What the Monitor last observed of {@code host} (an empty observation before its first poll). */
  public HostObservation observation(String host) {
    HostObservation o = hostObservations.get(host);
    return o != null ? o : unobserved;
  }


  /** The host whose driver URI is {@code uri} (lifecycle events carry only the URI): O(1). */
  public Optional<Host> hostByUri(String uri) {
    String name = hostByUri.get(uri);
    return name == null ? Optional.empty() : host(name);
  }

  /** VMs that hold resources on {@code host}, by name. */
  public List<Vm> vmsOn(String host) {
    List<Vm> out = new ArrayList<>();
    for (String name : vmsByHost.getOrDefault(host, TreePSet.empty())) {
      Vm v = indexed(name);
      if (v.state().reservesHost()) {
        out.add(v);
      }
    }
    return out;
  }

  /** CPU and memory held on {@code host}: its VMs, and VMs migrating to it; {@code except} excluded. */
  public org.corral.model.Resources reservedOn(String host, @Nullable String except) {
    org.corral.model.Resources r = org.corral.model.Resources.ZERO;
    for (Vm v : vmsOn(host)) {
      if (!v.name().equals(except)) {
        r = r.plus(v.spec().demand());
      }
    }
    for (String name : vmsByTarget.getOrDefault(host, java.util.Set.of())) {
      if (!name.equals(except)) {
        r = r.plus(indexed(name).spec().demand());
      }
    }
    return r;
  }

  /** The VM an index names: the indexes only ever name VMs that are in {@link #vmByName}. */
  private Vm indexed(String name) {
    return java.util.Objects.requireNonNull(vmByName.get(name), () -> "an index names VM '" + name + "', which is not in the state");
  }

  /** Names of the PENDING VMs (a live view: read it on the loop, do not keep it). */
  public java.util.Set<String> pendingVmNames() {
    return java.util.Collections.unmodifiableSet(pendingVms);
  }

  /** The VM whose UUID is {@code uuid} (case-insensitive), if any. */
  public Optional<Vm> vmByUuid(@Nullable String uuid) {
    return uuid == null ? Optional.empty() : Optional.ofNullable(vmByUuid.get(uuid.toLowerCase())).map(vms::get);
  }

  /** The VM whose {@link Vm#shortId()} is {@code shortId} (the EC2 API's instance id without {@code i-}), if any: O(1). */
  public Optional<Vm> vmByShortId(String shortId) {
    return Optional.ofNullable(vmByShortId.get(shortId)).map(vms::get);
  }

  /** Whether {@code ip} is leased on {@code network}: O(1). */
  public boolean ipLeased(String network, String ip) {
    java.util.Set<String> ips = ipsByNetwork.get(network);
    return ips != null && ips.contains(ip);
  }

  /** Whether {@code mac} is leased on any network: O(1). */
  public boolean macLeased(String mac) {
    return macs.contains(mac);
  }

  /** IP addresses leased on {@code network}. */
  public java.util.Set<String> leasedIps(String network) {
    return java.util.Set.copyOf(ipsByNetwork.getOrDefault(network, java.util.Set.of()));
  }

  /** MAC addresses leased on any network. */
  public java.util.Set<String> leasedMacs() {
    return java.util.Set.copyOf(macs);
  }

  private void putHost(Host h) {
    Host old = hosts.get(h.name());
    if (old != null) {
      hostByUri.remove(old.uri(), old.name());
    }
    hosts = hosts.plus(h.name(), h);
    hostByUri.put(h.uri(), h.name());
  }

  private void removeHost(String name) {
    Host old = hosts.get(name);
    if (old != null) {
      hostByUri.remove(old.uri(), name);
      hosts = hosts.minus(name);
    }
    hostObservations = hostObservations.minus(name);
  }

  private void putVm(Vm v) {
    Vm old = vmByName.get(v.name());
    vms = vms.plus(v.name(), v);
    vmByName.put(v.name(), v);
    if (old != null) {
      unindex(old);
    }
    index(v);
  }

  private void removeVm(String name) {
    Vm old = vmByName.get(name);
    if (old != null) {
      vms = vms.minus(name);
      vmByName.remove(name);
      unindex(old);
    }
  }

  private void index(Vm v) {
    vmsByState.merge(v.state(), 1, Integer::sum);
    usageByOwner.merge(v.owner(), usageOf(v.spec()), Usage::plus);
    if (v.state() == VmState.PENDING) {
      pendingVms.add(v.name());
    }
    reserve(v, 1);
    if (v.spec().affinityGroup() != null || v.spec().antiAffinityGroup() != null) {
      grouped.add(v.name());
    }
    if (v.host() != null) {
      TreePSet<String> on = vmsByHost.get(v.host());
      vmsByHost = vmsByHost.plus(v.host(), (on == null ? TreePSet.<String>empty() : on).plus(v.name()));
    }
    if (v.migrationTarget() != null) {
      vmsByTarget.computeIfAbsent(v.migrationTarget(), k -> new java.util.HashSet<>()).add(v.name());
    }
    if (v.uuid() != null) {
      vmByUuid.put(v.uuid().toLowerCase(), v.name());
    }
    String shortId = v.shortId();
    if (shortId != null) {
      vmByShortId.put(shortId, v.name());
    }
    for (var l : v.leases()) {
      ipsByNetwork.computeIfAbsent(l.network(), k -> new java.util.HashSet<>()).add(l.ip());
      macs.add(l.mac());
    }
  }

  private void unindex(Vm v) {
    vmsByState.merge(v.state(), -1, (a, b) -> a + b == 0 ? null : a + b);
    Usage left = usage(v.owner()).minus(usageOf(v.spec()));
    if (left.isZero()) {
      usageByOwner.remove(v.owner());
    } else {
      usageByOwner.put(v.owner(), left);
    }
    pendingVms.remove(v.name());
    reserve(v, -1);
    grouped.remove(v.name());
    if (v.host() != null) {
      TreePSet<String> on = vmsByHost.get(v.host());
      if (on != null) {
        TreePSet<String> rest = on.minus(v.name());
        vmsByHost = rest.isEmpty() ? vmsByHost.minus(v.host()) : vmsByHost.plus(v.host(), rest);
      }
    }
    if (v.migrationTarget() != null) {
      vmsByTarget.getOrDefault(v.migrationTarget(), new java.util.HashSet<>()).remove(v.name());
    }
    if (v.uuid() != null) {
      vmByUuid.remove(v.uuid().toLowerCase(), v.name());
    }
    String shortId = v.shortId();
    if (shortId != null) {
      vmByShortId.remove(shortId, v.name());
    }
    for (var l : v.leases()) {
      ipsByNetwork.getOrDefault(l.network(), new java.util.HashSet<>()).remove(l.ip());
      macs.remove(l.mac());
    }
  }

  /** Adds ({@code sign} 1) or removes (-1) what {@code v} holds, as Snapshot's own derivation counts it. */
  private void reserve(Vm v, int sign) {
    if (v.host() != null && v.state().reservesHost()) {
      reservations = reservations.plus(v.host(), add(reservations.get(v.host()), v.spec().demand(), sign, sign));
    }
    // A migrating VM holds room on its destination too, so nothing else takes it meanwhile.
    if (v.state() == VmState.MIGRATING && v.migrationTarget() != null) {
      reservations = reservations.plus(v.migrationTarget(), add(reservations.get(v.migrationTarget()), v.spec().demand(), sign, 0));
    }
  }

  private static org.corral.model.snapshot.Reservation add(org.corral.model.snapshot.@Nullable Reservation r,
      org.corral.model.Resources demand, int sign, int vms) {
    org.corral.model.snapshot.Reservation base = r == null ? org.corral.model.snapshot.Reservation.NONE : r;
    return sign > 0 ? base.plus(demand, vms) : base.minus(demand, -vms);
  }

  /**
   * An immutable view for decisions: O(pending + grouped VMs), sharing the state's persistent maps
   * and the reservations it keeps as VMs change (no pass over every VM).
   */
  public Snapshot snapshot(long cycle, long seed) {
    return Snapshot.shared(cycle, clock.now(), seed, hosts, vms, networks, images, hostObservations,
        new Snapshot.Index(reservations, vmsByHost, List.copyOf(pendingVms), List.copyOf(grouped)));
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Observations are soft state: kept in memory only, refreshed by the Monitor every poll. */
  public void putObservation(String host, HostObservation o) {
    if (hosts.containsKey(host)) {
      hostObservations = hostObservations.plus(host, o);
    }
  }


  public void addListener(Consumer<JournalEntry> l) {
    listeners.add(l);
  }

  public void removeListener(Consumer<JournalEntry> l) {
    listeners.remove(l);
  }

  /** Starts a batch of changes; nothing happens until {@link Tx#commit()}. */
  public Tx tx() {
    return new Tx();
  }

  // ---- group commit --------------------------------------------------------------------------
  // On the loop, a committed Tx changes memory at once and joins the open batch. A write task,
  // queued behind the work already waiting, seals the batch and hands it to the store writer (its
  // own thread in production, so that the database's cost leaves the loop's core; inline on a
  // virtual clock). While one batch is being written the next one fills: everything a busy loop
  // commits meanwhile shares the next database commit. Nothing that must follow durability
  // happens before it: the API's answers, the executor's driver calls, the published reads and
  // the journal listeners all wait for durable(). A write the store refuses undoes, newest change
  // first, that batch and the one filling behind it, and fails whoever waited on either.
  private final java.util.concurrent.Executor writer;
  private @Nullable Changes batch;
  private final List<Runnable> undo = new ArrayList<>();
  private final List<CompletableFuture<@Nullable Void>> waiting = new ArrayList<>();
  /** Action records in the open batch, by key: what {@link #action} answers before the write. */
  private final Map<String, ActionRecord> batchActions = new HashMap<>();
  private int batchEntries;
  private boolean writeQueued;
  /** The batch being written, if any (one at a time, in order). */
  private @Nullable Sealed inFlight;
  private long durableSeq = -1;
  /** See {@link #publishedSeq()}: written after {@link #published}, never ahead of it. */
  private volatile long publishedSeq;
  private volatile Published published = new Published(TreePMap.empty(), TreePMap.empty(), HashTreePMap.empty(), Map.of(),
      TreePMap.empty(), TreePMap.empty());
  private long flushes;
  private long joinedTx;

  /** A batch handed to the writer, with what it owes once written. */
  private static final class Sealed {
    final Changes changes;
    final List<Runnable> undo;
    final List<CompletableFuture<@Nullable Void>> waiting;
    final Map<String, ActionRecord> actions;
    final int entries;
    /** Memory as of this batch: what readers see once it is durable. */
    final Published view;
    /** Completed by the writer: the entries written, or the store's exception. */
    final CompletableFuture<List<JournalEntry>> written = new CompletableFuture<>();
    boolean settled;

    Sealed(Changes changes, List<Runnable> undo, List<CompletableFuture<@Nullable Void>> waiting,
        Map<String, ActionRecord> actions, int entries, Published view) {
      this.changes = changes;
      this.undo = undo;
      this.waiting = waiting;
      this.actions = actions;
      this.entries = entries;
      this.view = view;
    }
  }

  /**
   * Completes, on the loop, once everything committed so far is in the store (at once when nothing
   * waits); fails with the store's exception when the write failed, its changes undone.
   */
  public CompletionStage<@Nullable Void> durable() {
    Sealed s = inFlight;
    if (batch == null && s == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<@Nullable Void> f = new CompletableFuture<>();
    if (batch != null) {
      waiting.add(f);
    } else if (s != null) {
      s.waiting.add(f);
    }
    return f;
  }

  /**
   * Writes everything committed so far before returning, on the calling thread (work that must be
   * durable before it returns: start-up, shutdown, a caller off the loop).
   *
   * @throws RuntimeException the store's exception when a write failed (its changes undone)
   */
  public void flushNow() {
    Sealed s = inFlight;
    if (s != null) {
      settle(s, true); // waits for the writer
    }
    if (batch != null) {
      Sealed next = seal();
      write(next);
      settle(next, true);
    }
  }

  /** The action recorded under {@code key}: unwritten batches first, then the store. */
  public Optional<ActionRecord> action(String key) {
    ActionRecord r = batchActions.get(key);
    Sealed s = inFlight;
    if (r == null && s != null) {
      r = s.actions.get(key);
    }
    return r != null ? Optional.of(r) : store.action(key);
  }

  /** The journal's last sequence number, counting entries committed but not yet written. */
  public long journalSeq() {
    if (durableSeq < 0) {
      durableSeq = store.lastSeq();
    }
    Sealed s = inFlight;
    return durableSeq + batchEntries + (s == null ? 0 : s.entries);
  }

  /** Database commits so far, and the Txs they carried (group commit's ratio, for metrics). */
  public long flushes() {
    return flushes;
  }

  public long joinedTransactions() {
    return joinedTx;
  }

  private void join(Changes changes, List<Supplier<Runnable>> apply) {
    changes.validate(); // a batch the store would refuse is refused here, before memory changes
    Changes open = batch;
    if (open == null) {
      open = new Changes();
      batch = open;
    }
    open.addAll(changes);
    joinedTx++;
    for (Changes.Change c : changes.list()) {
      if (c instanceof Changes.Change.PutAction a) {
        batchActions.put(a.action().key(), a.action());
      } else if (c instanceof Changes.Change.Append) {
        batchEntries++;
      }
    }
    for (Supplier<Runnable> a : apply) {
      undo.add(a.get());
    }
    if (!clock.inLoop()) {
      flushNow(); // no turn to share the commit with (a caller off the loop, e.g. a test or start-up)
    } else if (!writeQueued && inFlight == null) {
      writeQueued = true;
      clock.execute(this::writeNext);
    }
  }

  /** On the loop: hands the open batch to the writer unless one is being written (then it follows). */
  private void writeNext() {
    writeQueued = false;
    if (batch == null || inFlight != null) {
      return;
    }
    Sealed s = seal();
    inFlight = s;
    try {
      writer.execute(() -> {
        write(s);
        clock.execute(() -> settle(s, false));
      });
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // The writer stopped with the controller; a late answer's change is still written, here.
      write(s);
      settle(s, false);
    }
  }

  private Sealed seal() {
    Sealed s = new Sealed(java.util.Objects.requireNonNull(batch), List.copyOf(undo), new ArrayList<>(waiting),
        Map.copyOf(batchActions), batchEntries, publishable());
    batch = null;
    undo.clear();
    waiting.clear();
    batchActions.clear();
    batchEntries = 0;
    return s;
  }

  /** On the writer (or the caller, for {@link #flushNow}): the database transaction. */
  private void write(Sealed s) {
    try {
      s.written.complete(store.write(s.changes));
    } catch (RuntimeException e) {
      s.written.completeExceptionally(e);
    }
  }

  /** On the loop, once {@code s} is written (waits for it otherwise): tells everyone who waited. */
  private void settle(Sealed s, boolean rethrow) {
    if (s.settled) {
      return;
    }
    s.settled = true;
    if (inFlight == s) {
      inFlight = null;
    }
    List<JournalEntry> written;
    try {
      written = s.written.join();
    } catch (java.util.concurrent.CompletionException e) {
      RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
      refused(s, cause);
      if (rethrow) {
        throw cause;
      }
      return;
    }
    flushes++;
    if (!written.isEmpty()) {
      durableSeq = written.getLast().seq();
    }
    published = s.view;
    if (!written.isEmpty()) {
      publishedSeq = written.getLast().seq();
    }
    for (JournalEntry e : written) {
      for (Consumer<JournalEntry> l : listeners) {
        l.accept(e);
      }
    }
    s.waiting.forEach(f -> f.complete(null));
    if (batch != null && !writeQueued) {
      writeNext(); // what filled meanwhile goes next
    }
  }

  /** Undoes the open batch and then {@code s} (newest change first) and fails their waiters. */
  private void refused(Sealed s, RuntimeException cause) {
    List<Runnable> undoing = new ArrayList<>(s.undo);
    undoing.addAll(undo);
    List<CompletableFuture<@Nullable Void>> failed = new ArrayList<>(s.waiting);
    failed.addAll(waiting);
    int dropped = s.changes.size() + (batch == null ? 0 : batch.size());
    batch = null;
    undo.clear();
    waiting.clear();
    batchActions.clear();
    batchEntries = 0;
    durableSeq = -1;
    for (int i = undoing.size() - 1; i >= 0; i--) {
      undoing.get(i).run();
    }
    LOG.error("the store refused a write; {} changes undone in memory: {}", dropped, cause.getMessage());
    failed.forEach(f -> f.completeExceptionally(cause));
  }

  /**
   * One atomic change: records to put or delete and journal entries. {@code commit} applies it to
   * memory and adds it to the turn's batch (see {@link #durable}); the batch reaches the store
   * whole or not at all, and listeners hear of its entries once it has.
   */
  public final class Tx {
    private final Changes changes = new Changes();
    /** Each applies one change to memory and returns what undoes it. */
    private final List<Supplier<Runnable>> apply = new ArrayList<>();

    public Tx put(Host h) {
      changes.put(h);
      apply.add(() -> {
        Host before = hosts.get(h.name());
        putHost(h);
        return () -> restoreHost(h.name(), before);
      });
      return this;
    }

    public Tx deleteHost(String name) {
      changes.add(new Changes.Change.DeleteHost(name));
      apply.add(() -> {
        Host before = hosts.get(name);
        HostObservation seen = hostObservations.get(name);
        removeHost(name);
        return () -> {
          restoreHost(name, before);
          if (seen != null) {
            hostObservations = hostObservations.plus(name, seen);
          }
        };
      });
      return this;
    }

    public Tx put(Vm v) {
      changes.put(v);
      apply.add(() -> {
        Vm before = vmByName.get(v.name());
        putVm(v);
        return () -> restoreVm(v.name(), before);
      });
      return this;
    }

    public Tx deleteVm(String name) {
      changes.add(new Changes.Change.DeleteVm(name));
      apply.add(() -> {
        Vm before = vmByName.get(name);
        removeVm(name);
        lastVmDeletion = clock.now(); // kept on undo: it only makes the Monitor more careful
        return () -> restoreVm(name, before);
      });
      return this;
    }

    public Tx put(Network n) {
      changes.put(n);
      apply.add(() -> {
        Network before = networks.get(n.name());
        networks = networks.plus(n.name(), n);
        return () -> networks = before != null ? networks.plus(n.name(), before) : networks.minus(n.name());
      });
      return this;
    }

    public Tx deleteNetwork(String name) {
      changes.add(new Changes.Change.DeleteNetwork(name));
      apply.add(() -> {
        Network before = networks.get(name);
        networks = networks.minus(name);
        return () -> networks = before != null ? networks.plus(name, before) : networks;
      });
      return this;
    }

    public Tx put(Image i) {
      changes.put(i);
      apply.add(() -> {
        Image before = images.get(i.name());
        images = images.plus(i.name(), i);
        return () -> images = before != null ? images.plus(i.name(), before) : images.minus(i.name());
      });
      return this;
    }

    public Tx deleteImage(String name) {
      changes.add(new Changes.Change.DeleteImage(name));
      apply.add(() -> {
        Image before = images.get(name);
        images = images.minus(name);
        return () -> images = before != null ? images.plus(name, before) : images;
      });
      return this;
    }

    public Tx put(User u) {
      changes.put(u);
      apply.add(() -> {
        var before = users; // undone newest first, so the map is back to what it was just after this
        users = users.plus(u.name(), u);
        return () -> users = before;
      });
      return this;
    }

    /** Deletes the user, their tokens and their access keys. */
    public Tx deleteUser(String name) {
      changes.add(new Changes.Change.DeleteUser(name));
      apply.add(() -> {
        var usersBefore = users;
        var tokensBefore = tokens;
        var keysBefore = accessKeys;
        var pairsBefore = keyPairs;
        keyPairs = keyPairs.minusAll(keyPairs(name).stream().map(KeyPair::id).toList());
        users = users.minus(name);
        for (ApiToken t : tokens.values()) {
          if (t.user().equals(name)) {
            tokens = tokens.minus(t.id());
          }
        }
        for (AccessKey k : accessKeys.values()) {
          if (k.user().equals(name)) {
            accessKeys = accessKeys.minus(k.id());
          }
        }
        return () -> {
          users = usersBefore;
          tokens = tokensBefore;
          accessKeys = keysBefore;
          keyPairs = pairsBefore;
        };
      });
      return this;
    }

    public Tx put(Group g) {
      changes.put(g);
      apply.add(() -> {
        var before = groups;
        groups = groups.plus(g.name(), g);
        return () -> groups = before;
      });
      return this;
    }

    public Tx put(ApiToken t) {
      changes.put(t);
      apply.add(() -> {
        var before = tokens;
        tokens = tokens.plus(t.id(), t);
        return () -> tokens = before;
      });
      return this;
    }

    public Tx put(AccessKey k) {
      changes.put(k);
      apply.add(() -> {
        var before = accessKeys;
        accessKeys = accessKeys.plus(k.id(), k);
        return () -> accessKeys = before;
      });
      return this;
    }

    public Tx deleteAccessKey(String id) {
      changes.add(new Changes.Change.DeleteAccessKey(id));
      apply.add(() -> {
        var before = accessKeys;
        accessKeys = accessKeys.minus(id);
        return () -> accessKeys = before;
      });
      return this;
    }

    public Tx put(KeyPair k) {
      changes.put(k);
      apply.add(() -> {
        var before = keyPairs;
        keyPairs = keyPairs.plus(k.id(), k);
        return () -> keyPairs = before;
      });
      return this;
    }

    public Tx deleteKeyPair(KeyPair k) {
      changes.add(new Changes.Change.DeleteKeyPair(k.id()));
      apply.add(() -> {
        var before = keyPairs;
        keyPairs = keyPairs.minus(k.id());
        return () -> keyPairs = before;
      });
      return this;
    }

    public Tx deleteToken(String id) {
      changes.add(new Changes.Change.DeleteToken(id));
      apply.add(() -> {
        var before = tokens;
        tokens = tokens.minus(id);
        return () -> tokens = before;
      });
      return this;
    }

    public Tx put(ActionRecord a) {
      changes.put(a);
      return this;
    }

    public Tx meta(String key, String value) {
      changes.meta(key, value);
      return this;
    }

    public Tx deleteMeta(String key) {
      changes.deleteMeta(key);
      return this;
    }

    public Tx journal(EntryKind kind, SubjectKind sk, String subject, @Nullable String from, @Nullable String to,
        @Nullable String actionKey, @Nullable Cause cause, String message) {
      changes.append(new JournalEntry(0, clock.now(), kind, sk, subject, from, to, actionKey, cause, message));
      return this;
    }

    /** Records a host's state change and its journal entry together. */
    public Tx hostState(@Nullable Host before, Host after, @Nullable String actionKey, @Nullable Cause cause) {
      put(after);
      if (before == null || before.state() != after.state()) {
        journal(EntryKind.STATE_CHANGED, SubjectKind.HOST, after.name(),
            before == null ? null : before.state().name(), after.state().name(), actionKey, cause, after.stateReason());
      }
      return this;
    }

    /** Records a VM's change; a state change (or a move to another host) gets a journal entry. */
    public Tx vmState(@Nullable Vm before, Vm after, @Nullable String actionKey, @Nullable Cause cause) {
      put(after);
      boolean moved = before != null && !java.util.Objects.equals(before.host(), after.host());
      if (before == null || before.state() != after.state() || moved) {
        String msg = after.stateReason() + (after.host() != null ? " [host " + after.host() + "]" : "");
        journal(EntryKind.STATE_CHANGED, SubjectKind.VM, after.name(),
            before == null ? null : before.state().name(), after.state().name(), actionKey, cause, msg);
      }
      return this;
    }

    /** Applies the batch to memory and joins the turn's group commit (at once off the loop). */
    public void commit() {
      if (changes.isEmpty()) {
        return;
      }
      join(changes, apply);
    }
  }

  private void restoreHost(String name, @Nullable Host before) {
    if (before != null) {
      putHost(before);
    } else {
      removeHost(name);
    }
  }

  private void restoreVm(String name, @Nullable Vm before) {
    if (before != null) {
      putVm(before);
    } else {
      removeVm(name);
    }
  }

  // ---- conveniences used by every loop -------------------------------------------------------

  /** Moves a host to {@code to} (validated), journaling the change; no-op when already there with the same reason. */
  public Host transitionHost(String name, HostState to, String reason, @Nullable String actionKey, @Nullable Cause cause) {
    Host before = requireHost(name);
    if (before.state() == to && java.util.Objects.equals(before.stateReason(), reason)) {
      return before;
    }
    Host after = before.withState(to, reason, clock.now());
    tx().hostState(before, after, actionKey, cause).commit();
    return after;
  }

  /** Moves a VM to {@code to} on {@code host} (validated), journaling the change. */
  public Vm transitionVm(String name, VmState to, @Nullable String host, @Nullable String target, String reason,
      @Nullable String actionKey, @Nullable Cause cause) {
    Vm before = requireVm(name);
    if (before.state() == to && java.util.Objects.equals(before.host(), host)
        && java.util.Objects.equals(before.migrationTarget(), target)
        && java.util.Objects.equals(before.stateReason(), reason)) {
      return before;
    }
    Vm after = before.moved(to, host, target, reason, clock.now());
    tx().vmState(before, after, actionKey, cause).commit();
    return after;
  }
}
