package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.controller.api.RunningCorral.eventually;

import io.javalin.Javalin;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.corral.controller.state.ControllerState;
import org.corral.controller.store.InMemoryStore;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.snapshot.Samples;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The journal stream's replay against group commit (CI's "gina-s1 on both streams"): the store
 * writer has written a batch while the loop has not yet published its view. A client that
 * connects in that window must still get the batch's entries, judged against the view that shows
 * them, once, in order. The loop runs on a virtual clock and the store's writer is held by the
 * test, so the window is as wide as the test wants; only the HTTP stream is real.
 */
class EventStreamReplayTest {
  private final VirtualClock clock = new VirtualClock();
  private final InMemoryStore store = new InMemoryStore();
  /** The store writer's work, run when the test says so. */
  private final List<Runnable> writes = new CopyOnWriteArrayList<>();
  private final ControllerState state = new ControllerState(store, clock, Samples.DEFAULT_CAPACITY, writes::add);
  private final EventStream events = new EventStream(state, 100);
  /** As ApiServer.eventFilter for a developer: entries of the VMs the published view shows (here: all of them). */
  private final Predicate<JournalEntry> visible = e -> state.published().vms().containsKey(e.subject());
  private final Javalin app = Javalin.create(c -> c.showJavalinBanner = false)
      .get("/stream", ctx -> events.open(ctx, visible));

  @AfterEach
  void stop() {
    events.close();
    app.stop();
  }

  @Test
  void anEntryWrittenButNotYetPublishedReachesAClientThatConnectsMeanwhile() throws Exception {
    state.load();
    create("vm-1"); // seq 1, off the loop: written and published before it returns
    create("vm-2"); // seq 2
    clock.execute(() -> create("vm-3")); // seq 3, on the loop: joins a batch for the writer
    clock.runDue();
    assertThat(writes).as("the batch handed to the writer").hasSize(1);
    writes.removeFirst().run(); // in the store now; the loop's settle (publish, listeners) is queued
    assertThat(store.lastSeq()).isEqualTo(3);
    assertThat(state.published().vms()).as("not published yet").doesNotContainKey("vm-3");
    assertThat(state.publishedSeq()).isEqualTo(2);

    app.start("127.0.0.1", 0);
    try (EventStreamReader reader = new EventStreamReader(URI.create("http://127.0.0.1:" + app.port() + "/stream?after=1"), null, null)) {
      assertThat(reader.response().statusCode()).isEqualTo(200);
      eventually().alias("the replay of seq 2").until(() -> reader.lastId() >= 2);
      clock.runDue(); // the loop publishes vm-3 and tells the listeners
      create("vm-4"); // seq 4: proof the stream goes on, so a missing 3 fails here rather than times out
      eventually().alias("seq 4 live").until(() -> reader.lastId() >= 4);
      assertThat(reader.ids()).as("every entry after 1, once, in order: 3 judged once vm-3 was published").containsExactly(2L, 3L, 4L);
    }
  }

  private void create(String name) {
    Vm vm = Vm.pending(name, "uuid-" + name, VmSpec.of(1, 256), "t", List.of(), clock.now());
    state.tx().put(vm).journal(EntryKind.CREATED, SubjectKind.VM, name, null, "PENDING", null, null, "created").commit();
  }
}
