package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.controller.api.RunningCorral.eventually;

import io.javalin.Javalin;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.corral.controller.auth.Principal;
import org.corral.controller.state.ControllerState;
import org.corral.controller.store.InMemoryStore;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.auth.Role;
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
  /** What the developer gina may read: the API's own filter. */
  private final Predicate<JournalEntry> visible = ApiServer.eventFilter(state, new Principal("gina", Role.DEVELOPER, null, "gina", null));
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
    create("vm-1", "gina"); // seq 1, off the loop: written and published before it returns
    create("vm-2", "gina"); // seq 2
    clock.execute(() -> create("vm-3", "gina")); // seq 3, on the loop: joins a batch for the writer
    clock.runDue();
    assertThat(writes).as("the batch handed to the writer").hasSize(1);
    writes.removeFirst().run(); // in the store now; the loop's settle (publish, listeners) is queued
    assertThat(store.lastSeq()).isEqualTo(3);
    assertThat(state.published().vms()).as("not published yet").doesNotContainKey("vm-3");
    assertThat(state.publishedSeq()).isEqualTo(2);
    JournalEntry third = store.journal(2, 1, null).getFirst();
    assertThat(visible.test(third)).as("not judged before its view is published (GET /events leaves it for the next page)").isFalse();

    app.start("127.0.0.1", 0);
    try (EventStreamReader reader = new EventStreamReader(URI.create("http://127.0.0.1:" + app.port() + "/stream?after=1"), null, null)) {
      assertThat(reader.response().statusCode()).isEqualTo(200);
      eventually().alias("the replay of seq 2").until(() -> reader.lastId() >= 2);
      clock.runDue(); // the loop publishes vm-3 and tells the listeners
      assertThat(visible.test(third)).isTrue();
      create("not-hers", "hank"); // seq 4: another user's, never shown to her
      create("vm-5", "gina"); // seq 5: proof the stream goes on, so a missing 3 fails here rather than times out
      eventually().alias("seq 5 live").until(() -> reader.lastId() >= 5);
      assertThat(reader.ids()).as("her entries after 1, once, in order: 3 judged once vm-3 was published").containsExactly(2L, 3L, 5L);
    }
  }

  private void create(String name, String owner) {
    Vm vm = Vm.pending(name, "uuid-" + name, VmSpec.of(1, 256), owner, List.of(), clock.now());
    state.tx().put(vm).journal(EntryKind.CREATED, SubjectKind.VM, name, null, "PENDING", null, null, "created").commit();
  }
}
