package org.corral.controller.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.corral.controller.store.Changes.Change;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.Group;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.User;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.journal.JournalEntry;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.vm.Vm;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} in memory, for tests and simulation. Thread-safe (every method holds the
 * store's monitor); {@link #write} validates the whole batch before applying any of it, so a
 * rejected batch changes nothing. Deterministic: {@link #load()} lists objects by name, journal
 * sequence numbers count up from 1 with no gaps.
 */
public final class InMemoryStore implements Store {
  private final Map<String, Host> hosts = new TreeMap<>();
  private final Map<String, Vm> vms = new TreeMap<>();
  private final Map<String, Network> networks = new TreeMap<>();
  private final Map<String, Image> images = new TreeMap<>();
  private final Map<String, ActionRecord> actions = new HashMap<>();
  private final Map<String, String> meta = new TreeMap<>();
  private final Map<String, User> users = new TreeMap<>();
  private final Map<String, Group> groups = new TreeMap<>();
  private final Map<String, ApiToken> tokens = new TreeMap<>();
  private final Map<String, AccessKey> accessKeys = new TreeMap<>();
  private final Map<String, KeyPair> keyPairs = new TreeMap<>();
  /** entries.get(i).seq() == dropped + i + 1: retention drops entries from the front. */
  private final List<JournalEntry> entries = new ArrayList<>();
  private long dropped;
  /** The same entries per subject, in seq order, so that a subject's history is cheap to page. */
  private final Map<String, List<JournalEntry>> bySubject = new HashMap<>();
  private boolean closed;
  // The leader lease (controller HA on virtual time): the same row as PostgreSQL's controller_lease.
  private @Nullable String leaseHolder;
  private @Nullable String leaseAddress;
  private long leaseEpoch;
  private long leaseExpires;
  private long leaseChanged;
  private @Nullable String leaseReason;
  private final Map<String, Leases.Seen> seen = new TreeMap<>();
  private final Map<String, Long> seenAt = new HashMap<>();

  @Override
  public synchronized StoredState load() {
    requireOpen();
    List<ActionRecord> unfinished = actions.values().stream()
        .filter(a -> !a.status().isFinal())
        .sorted(ActionOrder.OLDEST_FIRST)
        .toList();
    return new StoredState(List.copyOf(hosts.values()), List.copyOf(vms.values()), List.copyOf(networks.values()),
        List.copyOf(images.values()), unfinished, Collections.unmodifiableMap(new TreeMap<>(meta)),
        new StoredState.Accounts(List.copyOf(users.values()), List.copyOf(groups.values()), List.copyOf(tokens.values()),
            List.copyOf(accessKeys.values()), List.copyOf(keyPairs.values())));
  }

  @Override
  public synchronized List<JournalEntry> write(Changes changes) {
    requireOpen();
    List<Change> list = ChangeRules.check(changes);
    // Nothing below can fail, so the batch is applied whole.
    List<JournalEntry> appended = new ArrayList<>();
    for (Change change : list) {
      switch (change) {
        case Change.PutHost c -> hosts.put(c.host().name(), c.host());
        case Change.DeleteHost c -> hosts.remove(c.name());
        case Change.PutVm c -> vms.put(c.vm().name(), c.vm());
        case Change.DeleteVm c -> vms.remove(c.name());
        case Change.PutNetwork c -> networks.put(c.network().name(), c.network());
        case Change.DeleteNetwork c -> networks.remove(c.name());
        case Change.PutImage c -> images.put(c.image().name(), c.image());
        case Change.DeleteImage c -> images.remove(c.name());
        case Change.PutAction c -> actions.put(c.action().key(), c.action());
        case Change.PutMeta c -> meta.put(c.key(), c.value());
        case Change.DeleteMeta c -> meta.remove(c.key());
        case Change.PutUser c -> users.put(c.user().name(), c.user());
        case Change.DeleteUser c -> {
          users.remove(c.name());
          tokens.values().removeIf(t -> t.user().equals(c.name()));
          accessKeys.values().removeIf(k -> k.user().equals(c.name()));
          keyPairs.values().removeIf(k -> k.user().equals(c.name()));
        }
        case Change.PutGroup c -> groups.put(c.group().name(), c.group());
        case Change.PutToken c -> tokens.put(c.token().id(), c.token());
        case Change.DeleteToken c -> tokens.remove(c.id());
        case Change.PutAccessKey c -> accessKeys.put(c.key().id(), c.key());
        case Change.DeleteAccessKey c -> accessKeys.remove(c.id());
        case Change.PutKeyPair c -> keyPairs.put(c.keyPair().id(), c.keyPair());
        case Change.DeleteKeyPair c -> keyPairs.remove(c.id());
        case Change.Append c -> appended.add(append(c.entry()));
      }
    }
    return List.copyOf(appended);
  }

  private JournalEntry append(JournalEntry entry) {
    JournalEntry stored = entry.withSeq(dropped + entries.size() + 1L);
    entries.add(stored);
    if (stored.subject() != null) {
      bySubject.computeIfAbsent(stored.subject(), s -> new ArrayList<>()).add(stored);
    }
    return stored;
  }

  @Override
  public synchronized Optional<ActionRecord> action(String key) {
    requireOpen();
    return Optional.ofNullable(actions.get(key));
  }

  @Override
  public synchronized List<ActionRecord> actions(ActionStatus status, int limit) {
    requireOpen();
    JournalPage.checkLimit(limit);
    return actions.values().stream()
        .filter(a -> a.status() == status)
        .sorted(ActionOrder.NEWEST_UPDATE_FIRST)
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<JournalEntry> journal(long afterSeq, int limit, @Nullable String subject) {
    requireOpen();
    JournalPage.checkLimit(limit);
    List<JournalEntry> source = subject == null ? entries : bySubject.getOrDefault(subject, List.of());
    int from = firstAfter(source, afterSeq);
    int to = (int) Math.min(source.size(), (long) from + limit);
    return List.copyOf(source.subList(from, to));
  }

  @Override
  public synchronized List<JournalEntry> journalTail(int limit, @Nullable String subject) {
    requireOpen();
    JournalPage.checkLimit(limit);
    List<JournalEntry> source = subject == null ? entries : bySubject.getOrDefault(subject, List.of());
    return List.copyOf(source.subList(Math.max(0, source.size() - limit), source.size()));
  }

  @Override
  public synchronized long compactJournal(java.time.Instant before, long keepNewest, int maxDelete) {
    requireOpen();
    JournalPage.checkRetention(keepNewest, maxDelete);
    // Entries are in time order (appended as time goes on): the old ones are a prefix.
    long beyondCount = Math.max(0, entries.size() - keepNewest);
    int lo = 0;
    int hi = entries.size() - 1; // the newest is always kept
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).at().isBefore(before)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int n = (int) Math.min(maxDelete, Math.max(beyondCount, lo));
    if (n == 0) {
      return 0;
    }
    long cut = entries.get(n - 1).seq();
    entries.subList(0, n).clear();
    dropped += n;
    bySubject.values().removeIf(list -> {
      list.subList(0, firstAfter(list, cut)).clear();
      return list.isEmpty();
    });
    return n;
  }

  /** Index of the first entry with seq > afterSeq in a list sorted by seq. */
  private static int firstAfter(List<JournalEntry> source, long afterSeq) {
    int lo = 0;
    int hi = source.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (source.get(mid).seq() <= afterSeq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public synchronized long lastSeq() {
    requireOpen();
    return dropped + entries.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /**
   * The leader lease of this store with the rules of {@link Leases} (taken only once expired or
   * released, each time with the next epoch), on {@code clock}: the database's clock, shared by
   * every controller of a test.
   */
  public LeaseTable leases(org.corral.model.time.Clock clock) {
    return new LeaseTable() {
      @Override
      public Optional<Long> tryAcquire(String me, String address, java.time.Duration lease, String reason) {
        synchronized (InMemoryStore.this) {
          long now = clock.now().toEpochMilli();
          if (leaseHolder != null && leaseExpires >= now) {
            return Optional.empty();
          }
          leaseHolder = me;
          leaseAddress = address;
          leaseEpoch++;
          leaseExpires = now + lease.toMillis();
          leaseChanged = now;
          leaseReason = reason;
          return Optional.of(leaseEpoch);
        }
      }

      @Override
      public boolean renew(String me, long epoch, java.time.Duration lease) {
        synchronized (InMemoryStore.this) {
          if (!me.equals(leaseHolder) || leaseEpoch != epoch) {
            return false;
          }
          leaseExpires = clock.now().toEpochMilli() + lease.toMillis();
          return true;
        }
      }

      @Override
      public void release(String me, long epoch, String reason) {
        synchronized (InMemoryStore.this) {
          if (me.equals(leaseHolder) && leaseEpoch == epoch) {
            leaseHolder = null;
            leaseExpires = 0;
            leaseChanged = clock.now().toEpochMilli();
            leaseReason = reason;
          }
        }
      }

      @Override
      public Leases.Lease current() {
        synchronized (InMemoryStore.this) {
          long now = clock.now().toEpochMilli();
          return new Leases.Lease(leaseHolder, leaseAddress, leaseEpoch, leaseExpires - now, now - leaseChanged, leaseReason);
        }
      }

      @Override
      public void heartbeat(String name, String address, String role) {
        synchronized (InMemoryStore.this) {
          seen.put(name, new Leases.Seen(name, address, role, 0));
          seenAt.put(name, clock.now().toEpochMilli());
        }
      }

      @Override
      public List<Leases.Seen> controllers() {
        synchronized (InMemoryStore.this) {
          long now = clock.now().toEpochMilli();
          return seen.values().stream().map(c -> new Leases.Seen(c.name(), c.address(), c.role(), now - seenAt.getOrDefault(c.name(), now))).toList();
        }
      }

      @Override
      public void close() {
        // nothing of its own to close: the lease lives in the store
      }
    };
  }

  /**
   * This store as {@code holder} elected with {@code epoch} writes to it: every write checks the
   * lease first (with the write, under the store's monitor) and is refused whole with
   * {@link DeposedException} once another controller took it, as {@link JdbcStore#fence} does.
   * Reads are the store's own.
   */
  public Store fenced(String holder, long epoch) {
    InMemoryStore db = this;
    return new Store() {
      @Override
      public StoredState load() {
        return db.load();
      }

      @Override
      public List<JournalEntry> write(Changes changes) {
        synchronized (db) {
          if (!holder.equals(leaseHolder) || leaseEpoch != epoch) {
            throw new DeposedException(holder, epoch);
          }
          return db.write(changes);
        }
      }

      @Override
      public Optional<ActionRecord> action(String key) {
        return db.action(key);
      }

      @Override
      public List<ActionRecord> actions(ActionStatus status, int limit) {
        return db.actions(status, limit);
      }

      @Override
      public List<JournalEntry> journal(long afterSeq, int limit, @Nullable String subject) {
        return db.journal(afterSeq, limit, subject);
      }

      @Override
      public List<JournalEntry> journalTail(int limit, @Nullable String subject) {
        return db.journalTail(limit, subject);
      }

      @Override
      public long compactJournal(java.time.Instant before, long keepNewest, int maxDelete) {
        return db.compactJournal(before, keepNewest, maxDelete);
      }

      @Override
      public long lastSeq() {
        return db.lastSeq();
      }

      @Override
      public void close() {
        // the controller's view only: the store stays open for the others
      }
    };
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the in-memory store is closed; a closed store cannot be reopened, create a new one");
    }
  }
}
