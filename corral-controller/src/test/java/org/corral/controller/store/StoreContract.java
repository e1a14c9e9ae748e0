package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.corral.controller.store.Samples.at;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.corral.model.InvalidInputException;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.Group;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.Quota;
import org.corral.model.auth.Role;
import org.corral.model.auth.User;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.network.Network;
import org.corral.model.plan.Action;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do. Each implementation runs this whole class through a subclass
 * that says how to open it and, where it persists, how to open the same storage again.
 */
abstract class StoreContract {
  protected Store store;

  static {
    QuietFlyway.apply();
  }

  /** A new, empty store. */
  protected abstract Store openStore();

  /** Closes {@code store} and opens the same storage again; null when the store does not persist. */
  protected abstract Store reopen(Store store);

  @BeforeEach
  void openFresh() {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** A batch that puts one of everything with every field populated, and a bare variant of each. */
  private static Changes everything() {
    return new Changes()
        .put(Samples.fullHost("node-1")).put(Samples.bareHost("node-2"))
        .put(Samples.fullVm("web-1")).put(Samples.bareVm("web-2"))
        .put(Samples.fullNetwork("lan")).put(Samples.bareNetwork("dmz"))
        .put(Samples.image("debian-12"))
        .put(Samples.record(Samples.deploy("deploy-web-1"), ActionStatus.RUNNING, at(10)))
        .meta("root-seed", "12345")
        .append(Samples.entry("web-1", "web-1 placed on node-1"))
        .append(Samples.bareEntry());
  }

  @Test
  void anEmptyStoreHasNothing() {
    StoredState s = store.load();
    assertThat(s.hosts()).isEmpty();
    assertThat(s.vms()).isEmpty();
    assertThat(s.networks()).isEmpty();
    assertThat(s.images()).isEmpty();
    assertThat(s.unfinished()).isEmpty();
    assertThat(s.meta()).isEmpty();
    assertThat(store.lastSeq()).isZero();
    assertThat(store.journal(0, 100, null)).isEmpty();
    assertThat(store.action("nope")).isEmpty();
  }

  @Test
  void everyRecordTypeRoundTripsWithAllFieldsAndWithNulls() {
    store.write(everything());

    StoredState s = store.load();
    assertThat(s.hosts()).containsExactly(Samples.fullHost("node-1"), Samples.bareHost("node-2"));
    assertThat(s.vms()).containsExactly(Samples.fullVm("web-1"), Samples.bareVm("web-2"));
    assertThat(s.networks()).containsExactly(Samples.bareNetwork("dmz"), Samples.fullNetwork("lan"));
    assertThat(s.images()).containsExactly(Samples.image("debian-12"));
    assertThat(s.unfinished()).containsExactly(Samples.record(Samples.deploy("deploy-web-1"), ActionStatus.RUNNING, at(10)));
    assertThat(s.meta()).containsExactlyEntriesOf(Map.of("root-seed", "12345"));
    assertThat(store.journal(0, 10, null)).containsExactly(
        Samples.entry("web-1", "web-1 placed on node-1").withSeq(1), Samples.bareEntry().withSeq(2));
  }

  @Test
  void everyKindOfActionRoundTrips() {
    Changes batch = new Changes();
    List<ActionRecord> expected = new ArrayList<>();
    for (Class<?> kind : Action.class.getPermittedSubclasses()) {
      ActionRecord r = Samples.record(Samples.sampleOf(kind, "key-" + kind.getSimpleName()), ActionStatus.FAILED, at(20));
      expected.add(r);
      batch.put(r);
    }
    store.write(batch);

    for (ActionRecord r : expected) {
      assertThat(store.action(r.key())).as("action %s read back", r.action().getClass().getSimpleName()).contains(r);
    }
    assertThat(expected).hasSize(Action.class.getPermittedSubclasses().length);
  }

  @Test
  void aPutReplacesAndADeleteRemoves() {
    store.write(everything());
    var moved = Samples.bareVm("web-2").withState(VmState.HOLD, "held by alice", at(30));
    var renamedBridge = new Network("lan", "br9", "192.168.100.0/24", null, null, null, null);
    store.write(new Changes().put(moved).put(renamedBridge).meta("root-seed", "999")
        .add(new Changes.Change.DeleteHost("node-2")).add(new Changes.Change.DeleteVm("web-1"))
        .add(new Changes.Change.DeleteNetwork("dmz")).add(new Changes.Change.DeleteImage("debian-12"))
        .add(new Changes.Change.DeleteImage("never-existed")));

    StoredState s = store.load();
    assertThat(s.hosts()).containsExactly(Samples.fullHost("node-1"));
    assertThat(s.vms()).containsExactly(moved);
    assertThat(s.networks()).containsExactly(renamedBridge);
    assertThat(s.images()).isEmpty();
    assertThat(s.meta()).containsEntry("root-seed", "999").hasSize(1);
  }

  @Test
  void changesInOneBatchApplyInOrder() {
    store.write(new Changes().put(Samples.bareVm("web-1")).add(new Changes.Change.DeleteVm("web-1"))
        .put(Samples.bareHost("node-1")).add(new Changes.Change.DeleteHost("node-1")).put(Samples.fullHost("node-1")));

    assertThat(store.load().vms()).isEmpty();
    assertThat(store.load().hosts()).containsExactly(Samples.fullHost("node-1"));
  }

  @Test
  void journalSequenceNumbersIncreaseStrictlyAndAreReturned() {
    List<JournalEntry> first = store.write(new Changes().append(Samples.entry("web-1", "a")).append(Samples.entry("web-2", "b")));
    List<JournalEntry> none = store.write(new Changes().put(Samples.bareVm("web-3")));
    List<JournalEntry> second = store.write(new Changes().append(Samples.entry("web-1", "c")));

    assertThat(first).extracting(JournalEntry::seq).containsExactly(1L, 2L);
    assertThat(none).isEmpty();
    assertThat(second).extracting(JournalEntry::seq).containsExactly(3L);
    assertThat(store.lastSeq()).isEqualTo(3);
    assertThat(store.journal(0, 100, null)).containsExactlyElementsOf(concat(first, second));
  }

  @Test
  void anEmptyBatchWritesNothing() {
    assertThat(store.write(new Changes())).isEmpty();
    assertThat(store.lastSeq()).isZero();
  }

  @Test
  void theJournalPagesAndFiltersBySubject() {
    Changes batch = new Changes();
    for (int i = 1; i <= 10; i++) {
      batch.append(Samples.entry(i % 2 == 0 ? "even" : "odd", "entry " + i));
    }
    store.write(batch);

    assertThat(store.journal(0, 3, null)).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
    assertThat(store.journal(3, 3, null)).extracting(JournalEntry::seq).containsExactly(4L, 5L, 6L);
    assertThat(store.journal(9, 3, null)).extracting(JournalEntry::seq).containsExactly(10L);
    assertThat(store.journal(10, 3, null)).isEmpty();
    assertThat(store.journal(0, 0, null)).isEmpty();
    assertThat(store.journal(0, 100, "even")).extracting(JournalEntry::seq).containsExactly(2L, 4L, 6L, 8L, 10L);
    assertThat(store.journal(4, 2, "even")).extracting(JournalEntry::seq).containsExactly(6L, 8L);
    assertThat(store.journal(5, 100, "odd")).extracting(JournalEntry::message).containsExactly("entry 7", "entry 9");
    assertThat(store.journal(0, 100, "nobody")).isEmpty();
    assertThatThrownBy(() -> store.journal(0, -1, null)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void aBatchWithABadChangeLeavesNothingBehind() {
    store.write(everything());
    StoredState before = store.load();
    JournalEntry noKind = new JournalEntry(0, at(40), null, SubjectKind.VM, "web-9", null, null, null, null, "no kind");
    Changes bad = new Changes().put(Samples.fullVm("web-9")).put(Samples.fullHost("node-9")).meta("root-seed", "0")
        .append(Samples.entry("web-9", "placed")).add(new Changes.Change.DeleteHost("node-1")).append(noKind);

    assertThatThrownBy(() -> store.write(bad)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("changes[5].entry.kind");

    assertThat(store.load()).isEqualTo(before);
    assertThat(store.lastSeq()).isEqualTo(2);
    assertThat(store.write(new Changes().append(Samples.entry("web-1", "next"))))
        .extracting(JournalEntry::seq).containsExactly(3L);
  }

  @Test
  void anActionRecordWithoutAnActionIsRejected() {
    Changes bad = new Changes().put(Samples.bareVm("web-1"))
        .put(new ActionRecord(null, ActionStatus.QUEUED, 0, at(1), null, null));

    assertThatThrownBy(() -> store.write(bad)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("changes[1].action.action");
    assertThat(store.load().vms()).isEmpty();
  }

  @Test
  void otherIncompleteChangesAreRejectedNamingTheField() {
    assertRejected(new Changes().add(new Changes.Change.PutVm(null)), "changes[0].vm");
    assertRejected(new Changes().add(new Changes.Change.DeleteHost(null)), "changes[0].name");
    assertRejected(new Changes().meta("", "x"), "changes[0].key");
    assertRejected(new Changes().meta("k", null), "changes[0].value");
    assertRejected(new Changes().meta("k".repeat(ChangeRules.MAX_META_KEY + 1), "x"), "changes[0].key");
    assertRejected(new Changes().append(Samples.entry("web-1", "x").withSeq(7)), "changes[0].entry.seq");
    assertRejected(new Changes().put(new ActionRecord(Samples.deploy(" "), ActionStatus.QUEUED, 0, at(1), null, null)),
        "changes[0].action.action.key");
    assertRejected(new Changes().put(new ActionRecord(Samples.deploy("k"), null, 0, at(1), null, null)), "changes[0].action.status");
    assertThat(store.lastSeq()).isZero();
  }

  private void assertRejected(Changes batch, String field) {
    assertThatThrownBy(() -> store.write(batch)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void unfinishedActionsAreListedOldestFirstAndFinishedOnesAreNot() {
    ActionRecord queuedLate = Samples.record(Samples.deploy("b-late"), ActionStatus.QUEUED, at(300));
    ActionRecord runningEarly = Samples.record(Samples.deploy("z-early"), ActionStatus.RUNNING, at(100));
    // Same instant as runningEarly: the key breaks the tie.
    ActionRecord queuedSameTime = Samples.record(Samples.deploy("a-same"), ActionStatus.QUEUED, at(100));
    ActionRecord done = Samples.record(Samples.deploy("done"), ActionStatus.SUCCEEDED, at(1));
    ActionRecord failed = Samples.record(Samples.deploy("failed"), ActionStatus.FAILED, at(2));
    ActionRecord rejected = Samples.record(Samples.deploy("rejected"), ActionStatus.REJECTED, at(3));
    // Sub-second instants of different precision must still order by time.
    ActionRecord fractional = Samples.record(Samples.deploy("c-frac"), ActionStatus.QUEUED, at(100).minusNanos(500_000_000));
    store.write(new Changes().put(queuedLate).put(runningEarly).put(done).put(failed).put(rejected)
        .put(queuedSameTime).put(fractional));

    assertThat(store.load().unfinished()).containsExactly(fractional, queuedSameTime, runningEarly, queuedLate);
    assertThat(store.action("done")).contains(done);

    ActionRecord finished = runningEarly.with(ActionStatus.SUCCEEDED, 3, at(400), null);
    store.write(new Changes().put(finished));
    assertThat(store.load().unfinished()).containsExactly(fractional, queuedSameTime, queuedLate);
    assertThat(store.action("z-early")).contains(finished);
  }

  @Test
  void usersGroupsAndTokensRoundTripAndAUsersDeletionTakesItsTokens() {
    User alice = new User("alice", Role.DEVELOPER, "team-a", new Quota(3L, null, 4096L, null), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        at(1));
    User admin = new User("admin", Role.ADMIN, null, Quota.NONE, null, at(2));
    Group team = new Group("team-a", new Quota(null, 8L, null, 100L));
    ApiToken a1 = new ApiToken("0123456789ab", "alice", "f".repeat(64), "laptop", at(3), at(4));
    ApiToken a2 = new ApiToken("0123456789ac", "alice", "e".repeat(64), null, at(3), null);
    ApiToken root = new ApiToken("abcdefabcdef", "admin", "d".repeat(64), null, at(3), null);
    store.write(new Changes().put(alice).put(admin).put(team).put(a1).put(a2).put(root));
    StoredState.Accounts loaded = store.load().accounts();
    assertThat(loaded.users()).containsExactly(admin, alice);
    assertThat(loaded.groups()).containsExactly(team);
    assertThat(loaded.tokens()).containsExactly(a1, a2, root);

    store.write(new Changes().put(alice.withQuota(Quota.NONE)).add(new Changes.Change.DeleteToken("0123456789ac")));
    assertThat(store.load().accounts().users()).contains(alice.withQuota(Quota.NONE));
    assertThat(store.load().accounts().tokens()).containsExactly(a1, root);

    store.write(new Changes().add(new Changes.Change.DeleteUser("alice")));
    assertThat(store.load().accounts().users()).containsExactly(admin);
    assertThat(store.load().accounts().tokens()).as("a deleted user's tokens go with them").containsExactly(root);
    Store again = reopen(store);
    if (again != null) {
      store = again;
      assertThat(store.load().accounts().users()).containsExactly(admin);
      assertThat(store.load().accounts().groups()).containsExactly(team);
    }
  }

  @Test
  void accessKeysRoundTripAndGoWithTheirUser() {
    User alice = new User("alice", Role.DEVELOPER, null, Quota.NONE, null, at(1));
    User admin = new User("admin", Role.ADMIN, null, Quota.NONE, null, at(2));
    AccessKey k1 = new AccessKey("CKIAAAAAAAAAAAAAAAA2", "alice", "v1:c2VhbGVk", "laptop", at(3));
    AccessKey k2 = new AccessKey("CKIAAAAAAAAAAAAAAAA3", "alice", "v1:c2VhbGVkMg==", null, at(3));
    AccessKey root = new AccessKey("CKIAZZZZZZZZZZZZZZZZ", "admin", "v1:cm9vdA==", null, at(4));
    store.write(new Changes().put(alice).put(admin).put(k1).put(k2).put(root));
    assertThat(store.load().accounts().accessKeys()).containsExactly(k1, k2, root);
    store.write(new Changes().add(new Changes.Change.DeleteAccessKey(k2.id())));
    assertThat(store.load().accounts().accessKeys()).containsExactly(k1, root);
    KeyPair pair = new KeyPair("alice", "laptop", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA", "aa:bb", at(5));
    KeyPair adminPair = new KeyPair("admin", "laptop", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB", "cc:dd", at(5));
    store.write(new Changes().put(pair).put(adminPair));
    assertThat(store.load().accounts().keyPairs()).containsExactly(adminPair, pair);
    store.write(new Changes().add(new Changes.Change.DeleteUser("alice")));
    assertThat(store.load().accounts().accessKeys()).as("a deleted user's keys go with them").containsExactly(root);
    assertThat(store.load().accounts().keyPairs()).as("and their key pairs").containsExactly(adminPair);
    Store again = reopen(store);
    if (again != null) {
      store = again;
      assertThat(store.load().accounts().accessKeys()).containsExactly(root);
    }
  }

  @Test
  void metaKeepsTheLatestValueOfEachKey() {
    store.write(new Changes().meta("root-seed", "1").meta("cycle.scheduler", "10"));
    store.write(new Changes().meta("cycle.scheduler", "11").meta("unicode", "naïve ✓ 値"));

    assertThat(store.load().meta()).containsExactly(
        Map.entry("cycle.scheduler", "11"), Map.entry("root-seed", "1"), Map.entry("unicode", "naïve ✓ 値"));
  }

  @Test
  void aDeletedMetaKeyIsGoneAndTheLastChangeOfABatchWins() {
    store.write(new Changes().meta("a", "1").meta("b", "2").meta("c", "3"));
    store.write(new Changes().deleteMeta("a").meta("b", "4").deleteMeta("b").deleteMeta("c").meta("c", "5").deleteMeta("never"));

    assertThat(store.load().meta()).containsExactly(Map.entry("c", "5"));
  }

  @Test
  void everythingIsThereAfterReopening() {
    store.write(everything());
    store.write(new Changes().append(new JournalEntry(0, at(50), EntryKind.ACTION_SUCCEEDED, SubjectKind.VM, "web-1",
        null, null, "deploy-web-1", Samples.CAUSE, "deployed")));
    StoredState before = store.load();
    List<JournalEntry> journal = store.journal(0, 100, null);

    Store again = reopen(store);
    Assumptions.assumeTrue(again != null, "this store keeps nothing across a reopen");
    store = again;

    assertThat(store.load()).isEqualTo(before);
    assertThat(store.journal(0, 100, null)).isEqualTo(journal);
    assertThat(store.lastSeq()).isEqualTo(3);
    assertThat(store.write(new Changes().append(Samples.bareEntry()))).extracting(JournalEntry::seq).containsExactly(4L);
  }

  @Test
  void aClosedStoreRefusesCalls() {
    store.close();
    assertThatThrownBy(() -> store.load()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> store.write(new Changes().put(Samples.bareVm("web-1"))))
        .isInstanceOf(IllegalStateException.class);
    store = null;
  }

  @Test
  void readersOnOtherThreadsNeverSeeHalfABatch() throws Exception {
    int batches = 100;
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> reads = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        reads.add(readers.submit(() -> {
          int rounds = 0;
          while (writing.get() || rounds == 0) {
            List<JournalEntry> seen = store.journal(0, JournalPage.MAX_LIMIT, null);
            Set<String> vms = new HashSet<>();
            store.load().vms().forEach(v -> vms.add(v.name()));
            for (int i = 0; i < seen.size(); i++) {
              assertThat(seen.get(i).seq()).as("journal has no gaps").isEqualTo(i + 1L);
              assertThat(vms).as("the VM of a journaled batch is there").contains(seen.get(i).subject());
            }
            rounds++;
          }
          return rounds;
        }));
      }
      for (int i = 1; i <= batches; i++) {
        String name = "vm-" + i;
        store.write(new Changes().put(Samples.bareVm(name)).append(Samples.entry(name, "batch " + i)));
      }
      writing.set(false);
      for (Future<Integer> f : reads) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      writing.set(false);
      readers.shutdownNow();
    }
    assertThat(store.lastSeq()).isEqualTo(batches);
  }

  @SafeVarargs
  private static <T> List<T> concat(List<T>... lists) {
    return Arrays.stream(lists).flatMap(List::stream).toList();
  }

  // ---- issue 22: the journal's last page and retention ----

  /** Appends entries at seconds 1..n, subject "s" + (i % 3), in batches of 100. */
  private void journalOf(int n) {
    for (int from = 1; from <= n; from += 100) {
      Changes c = new Changes();
      for (int i = from; i < from + 100 && i <= n; i++) {
        c.append(new JournalEntry(0, at(i), EntryKind.STATE_CHANGED, SubjectKind.VM, "s" + (i % 3), "A", "B", null, null, "e" + i));
      }
      store.write(c);
    }
  }

  @Test
  void theTailIsTheNewestEntriesOldestFirst() {
    journalOf(250);
    assertThat(store.journalTail(3, null)).extracting(JournalEntry::seq).containsExactly(248L, 249L, 250L);
    assertThat(store.journalTail(2, "s1")).extracting(JournalEntry::seq).containsExactly(247L, 250L);
    assertThat(store.journalTail(1000, null)).hasSize(250);
    assertThat(store.journalTail(0, null)).isEmpty();
    assertThatThrownBy(() -> store.journalTail(10_001, null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void retentionDeletesByCountAndByAgeInBoundedBatchesAndSeqsGoOn() {
    journalOf(500);
    // By count: keep the newest 400, at most 30 per call.
    assertThat(store.compactJournal(at(0), 400, 30)).isEqualTo(30);
    assertThat(store.journal(0, 1, null)).extracting(JournalEntry::seq).containsExactly(31L);
    assertThat(store.compactJournal(at(0), 400, 1000)).isEqualTo(70);
    assertThat(store.journal(0, 1, null)).extracting(JournalEntry::seq).containsExactly(101L);
    assertThat(store.compactJournal(at(0), 400, 1000)).isZero();
    // By age: everything written before second 450 goes.
    assertThat(store.compactJournal(at(450), 1_000_000, 1000)).isEqualTo(349);
    assertThat(store.journal(0, 1000, null)).extracting(JournalEntry::seq).first().isEqualTo(450L);
    assertThat(store.journal(0, 1000, null)).hasSize(51);
    assertThat(store.journal(0, 1000, "s0")).allSatisfy(e -> assertThat(e.seq()).isGreaterThanOrEqualTo(450));
    assertThat(store.journal(100, 2, null)).extracting(JournalEntry::seq).containsExactly(450L, 451L);
    // The newest entry is always kept, so sequence numbers never go back.
    assertThat(store.compactJournal(at(10_000), 1, 1000)).isEqualTo(50);
    assertThat(store.journal(0, 10, null)).extracting(JournalEntry::seq).containsExactly(500L);
    assertThat(store.lastSeq()).isEqualTo(500);
    List<JournalEntry> next = store.write(new Changes().append(Samples.entry("web-1", "after compaction")));
    assertThat(next).extracting(JournalEntry::seq).containsExactly(501L);
    assertThatThrownBy(() -> store.compactJournal(at(0), 0, 10)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("keepNewest");
  }

  @Test
  void retentionOfAnEmptyJournalDeletesNothing() {
    assertThat(store.compactJournal(at(100), 1, 100)).isZero();
    assertThat(store.lastSeq()).isZero();
  }

  @Test
  void compactedJournalSurvivesAReopen() {
    journalOf(300);
    store.compactJournal(at(0), 100, 1000);
    Store again = reopen(store);
    Assumptions.assumeTrue(again != null, "this store does not persist");
    store = again;
    assertThat(store.lastSeq()).isEqualTo(300);
    assertThat(store.journal(0, 1000, null)).hasSize(100).first().extracting(JournalEntry::seq).isEqualTo(201L);
    assertThat(store.write(new Changes().append(Samples.entry("web-1", "x")))).extracting(JournalEntry::seq).containsExactly(301L);
  }
}
