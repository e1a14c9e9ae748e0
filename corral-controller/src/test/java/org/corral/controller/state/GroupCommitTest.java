package org.corral.controller.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.corral.controller.store.Changes;
import org.corral.controller.store.InMemoryStore;
import org.corral.controller.store.Store;
import org.corral.controller.store.StoreException;
import org.corral.controller.store.StoredState;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Group commit: what one turn of the loop commits reaches the store as one write; nothing that
 * must follow durability (listeners, published reads, durable()) runs ahead of it; a write the
 * store refuses is undone in memory, indexes included.
 */
class GroupCommitTest {
  private final VirtualClock clock = new VirtualClock();
  private final CountingStore store = new CountingStore(new InMemoryStore());
  private final ControllerState state = new ControllerState(store, clock);

  @Test
  void oneTurnsCommitsAreOneWriteAndNothingFollowsAheadOfIt() {
    List<Long> heard = new ArrayList<>();
    state.addListener(e -> heard.add(e.seq()));
    AtomicReference<CompletableFuture<?>> durable = new AtomicReference<>();
    clock.execute(() -> {
      for (int i = 0; i < 50; i++) {
        Vm vm = Vm.pending("vm" + i, "uuid-" + i, VmSpec.of(1, 256), "t", List.of(), clock.now());
        state.tx().put(vm).journal(EntryKind.CREATED, SubjectKind.VM, vm.name(), null, "PENDING", null, null, "created").commit();
      }
      // Memory has them at once (the loop decides on them), the store and the API's reads not yet.
      assertThat(state.vms()).hasSize(50);
      assertThat(state.published().vms()).isEmpty();
      assertThat(store.writes).isZero();
      assertThat(heard).isEmpty();
      assertThat(state.journalSeq()).as("sequence numbers count the batch").isEqualTo(50);
      durable.set(state.durable().toCompletableFuture());
      assertThat(durable.get()).isNotDone();
    });
    clock.advance(Duration.ZERO);

    assertThat(store.writes).as("fifty Txs, one database commit").isEqualTo(1);
    assertThat(state.flushes()).isEqualTo(1);
    assertThat(state.joinedTransactions()).isEqualTo(50);
    assertThat(store.load().vms()).hasSize(50);
    assertThat(state.published().vms()).hasSize(50);
    assertThat(heard).as("listeners hear each entry once it is durable, in order").hasSize(50).isSorted();
    assertThat(durable.get()).isCompleted();
    assertThat(state.durable().toCompletableFuture()).as("nothing waiting: durable at once").isCompleted();
  }

  @Test
  void offTheLoopACommitIsWrittenBeforeItReturns() {
    state.tx().put(Vm.pending("a", "uuid-a", VmSpec.of(1, 256), "t", List.of(), clock.now())).commit();
    assertThat(store.writes).isEqualTo(1);
    assertThat(state.published().vms()).containsKey("a");

    store.failNext = true;
    assertThatThrownBy(() -> state.tx().put(Vm.pending("b", "uuid-b", VmSpec.of(1, 256), "t", List.of(), clock.now())).commit())
        .isInstanceOf(StoreException.class);
    assertThat(state.vm("b")).as("a refused write is undone").isEmpty();
  }

  @Test
  void aBatchTheStoreWouldRefuseIsRefusedAtCommitChangingNothing() {
    clock.execute(() -> {
      assertThatThrownBy(() -> state.tx().put(Vm.pending("a", "uuid-a", VmSpec.of(1, 256), "t", List.of(), clock.now()))
          .journal(null, SubjectKind.VM, "a", null, null, null, null, "no kind").commit())
          .hasMessageContaining("changes[1].entry.kind");
      assertThat(state.vm("a")).isEmpty();
    });
    clock.advance(Duration.ZERO);
    assertThat(store.writes).isZero();
  }

  @Test
  void theBatchsActionRecordsAreReadBeforeTheyAreFlushed() {
    ActionRecord r = new ActionRecord(new org.corral.model.plan.Action.DeployVm("k1", "web-1", "node-1",
        org.corral.model.plan.Cause.of(org.corral.model.plan.Origin.SCHEDULER, 1, "test")), ActionStatus.QUEUED, 0, clock.now(),
        clock.now(), null);
    AtomicReference<Optional<ActionRecord>> seen = new AtomicReference<>();
    clock.execute(() -> {
      state.tx().put(r).commit();
      seen.set(state.action("k1"));
    });
    clock.advance(Duration.ZERO);
    assertThat(seen.get()).contains(r);
    assertThat(store.action("k1")).contains(r);
  }

  /**
   * A turn's random changes on top of a random state, refused by the store: memory, its indexes
   * and the published reads are as before the turn, and whoever waited hears the failure.
   */
  @Property(tries = 150, seed = "20261204")
  void aRefusedBatchLeavesTheStateAsItWas(@ForAll("ops") List<ControllerStateIndexTest.Op> before,
      @ForAll("ops") List<ControllerStateIndexTest.Op> turn) {
    VirtualClock c = new VirtualClock();
    CountingStore s = new CountingStore(new InMemoryStore());
    ControllerState st = new ControllerState(s, c);
    before.forEach(o -> ControllerStateIndexTest.apply(st, o));
    Map<String, Object> was = facts(st);
    List<JournalEntry> heard = new ArrayList<>();
    st.addListener(heard::add);

    s.failNext = true;
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    c.execute(() -> {
      turn.forEach(o -> ControllerStateIndexTest.apply(st, o));
      st.tx().journal(EntryKind.CREATED, SubjectKind.VM, "x", null, null, null, null, "so that the batch is never empty").commit();
      st.durable().whenComplete((v, e) -> failure.set(e));
    });
    c.advance(Duration.ZERO);

    assertThat(failure.get()).isInstanceOf(StoreException.class);
    assertThat(heard).isEmpty();
    assertThat(facts(st)).isEqualTo(was);
    ControllerStateIndexTest.assertIndexesMatchAScan(st);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<ControllerStateIndexTest.Op>> ops() {
    return new ControllerStateIndexTest().ops();
  }

  /** What the state answers, as plain values to compare. */
  private static Map<String, Object> facts(ControllerState s) {
    Map<String, Object> f = new HashMap<>();
    f.put("vms", List.copyOf(s.vms()));
    f.put("published", List.copyOf(s.published().vms().values()));
    f.put("ips", s.leasedIps("n"));
    f.put("macs", s.leasedMacs());
    f.put("pending", java.util.Set.copyOf(s.pendingVmNames()));
    for (int h = 0; h < 4; h++) {
      f.put("on h" + h, s.vmsOn("h" + h));
      f.put("reserved h" + h, s.reservedOn("h" + h, null));
      f.put("snapshot h" + h, s.snapshot(1, 1).reservation("h" + h));
    }
    return f;
  }

  /** The real in-memory store, counting writes; {@code failNext} makes the next write fail as a broken database would. */
  static final class CountingStore implements Store {
    private final Store store;
    int writes;
    boolean failNext;

    CountingStore(Store store) {
      this.store = store;
    }

    @Override public StoredState load() { return store.load(); }

    @Override
    public List<JournalEntry> write(Changes changes) {
      if (failNext) {
        failNext = false;
        throw new StoreException("cannot write a batch to the store (connection refused)", new java.io.IOException("refused"));
      }
      writes++;
      return store.write(changes);
    }

    @Override public Optional<ActionRecord> action(String key) { return store.action(key); }

    @Override public List<ActionRecord> actions(ActionStatus status, int limit) { return store.actions(status, limit); }

    @Override public List<JournalEntry> journal(long afterSeq, int limit, @Nullable String subject) { return store.journal(afterSeq, limit, subject); }

    @Override public List<JournalEntry> journalTail(int limit, @Nullable String subject) { return store.journalTail(limit, subject); }

    @Override public long compactJournal(java.time.Instant before, long keepNewest, int maxDelete) {
      return store.compactJournal(before, keepNewest, maxDelete);
    }

    @Override public long lastSeq() { return store.lastSeq(); }

    @Override public void close() { store.close(); }
  }
}
