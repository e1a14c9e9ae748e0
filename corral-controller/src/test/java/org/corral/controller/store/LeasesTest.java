package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.corral.controller.ha.LeaderElector;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader lease on a real PostgreSQL: one holder at a time, a new epoch at each takeover, and
 * the fence: a deposed controller's write is refused whole. Two stores on one database stand for
 * two controllers (each with its own connections, as two processes would have). Leases are short
 * (400 ms) and expiry is waited for with bounded polls of the database, never a sleep.
 */
class LeasesTest {
  private static final Duration LEASE = Duration.ofMillis(400);
  private TestPostgres pg;
  private String schema;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void schema() {
    pg = TestPostgres.require("the PostgreSQL lease tests");
    schema = pg.createSchema("corral_lease");
  }

  @AfterEach
  void drop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (schema != null) {
      pg.dropSchema(schema);
    }
  }

  private JdbcStore controller() {
    JdbcStore s = JdbcStore.open(pg.schemaUrl(schema), pg.user(), pg.password());
    open.add(s);
    return s;
  }

  private Leases leases(JdbcStore s) {
    Leases l = s.leases(LEASE);
    open.add(l);
    return l;
  }

  @Test
  void oneHolderAtATimeAndEachTakeoverTakesTheNextEpoch() {
    Leases a = leases(controller());
    Leases b = leases(controller());

    assertThat(a.tryAcquire("a", "http://127.0.0.1:7001", LEASE, "first")).contains(1L);
    assertThat(b.tryAcquire("b", "http://127.0.0.1:7002", LEASE, "second")).as("held by a").isEmpty();
    assertThat(a.renew("a", 1, LEASE)).isTrue();
    assertThat(b.renew("b", 1, LEASE)).as("b never held it").isFalse();

    Awaitility.await("a's lease runs out").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> !b.current().held());
    assertThat(b.tryAcquire("b", "http://127.0.0.1:7002", LEASE, "a stopped renewing")).contains(2L);
    assertThat(a.renew("a", 1, LEASE)).as("a was deposed").isFalse();
    Leases.Lease now = a.current();
    assertThat(now.holder()).isEqualTo("b");
    assertThat(now.address()).isEqualTo("http://127.0.0.1:7002");
    assertThat(now.epoch()).isEqualTo(2);
    assertThat(now.reason()).isEqualTo("a stopped renewing");

    b.release("b", 2, "clean stop");
    assertThat(a.tryAcquire("a", "http://127.0.0.1:7001", LEASE, "b released it")).as("no wait after a release").contains(3L);
  }

  @Test
  void aDeposedLeadersWriteIsRefusedWholeAndTheNewLeadersGoesThrough() {
    JdbcStore oldLeader = controller();
    JdbcStore newLeader = controller();
    Leases a = leases(oldLeader);
    Leases b = leases(newLeader);
    long first = a.tryAcquire("a", "http://127.0.0.1:7001", LEASE, "first").orElseThrow();
    oldLeader.fence("a", first);
    oldLeader.write(new Changes().put(Samples.fullVm("web-1")).append(Samples.entry("web-1", "written by a")));

    Awaitility.await("a's lease runs out").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> !b.current().held());
    long second = b.tryAcquire("b", "http://127.0.0.1:7002", LEASE, "a paused").orElseThrow();
    newLeader.fence("b", second);

    // a wakes up (a GC pause, SIGCONT) and writes as if it still led.
    assertThatThrownBy(() -> oldLeader.write(new Changes().put(Samples.fullVm("web-2")).append(Samples.entry("web-2", "stale"))))
        .isInstanceOf(DeposedException.class)
        .hasMessageContaining("no longer leads with epoch " + first);
    newLeader.write(new Changes().append(Samples.entry("web-1", "written by b")));

    StoredState s = newLeader.load();
    assertThat(s.vms()).extracting(v -> v.name()).containsExactly("web-1");
    assertThat(newLeader.journal(0, 10, null)).extracting(e -> e.message()).containsExactly("written by a", "written by b");
  }

  /** The elector on the same database: a leader cut off from it stops acting by its own clock, and the other leads. */
  @Test
  void aLeaderCutOffStopsByItsOwnClockAndTheOtherTakesOver() {
    AtomicLong clockA = new AtomicLong();
    List<String> events = new ArrayList<>();
    JdbcStore storeA = controller();
    Leases leasesA = storeA.leases(LEASE); // closed by the test itself: the cut
    LeaderElector a = new LeaderElector(leasesA, "a", "http://127.0.0.1:7001", LEASE, Duration.ofMillis(150),
        listener("a", events), clockA::get);
    LeaderElector b = new LeaderElector(leases(controller()), "b", "http://127.0.0.1:7002", LEASE, Duration.ofMillis(150),
        listener("b", events), System::nanoTime);

    a.tick();
    b.tick();
    assertThat(a.leads()).isTrue();
    assertThat(b.leads()).isFalse();
    assertThat(events).containsExactly("a elected 1");

    leasesA.close(); // a can no longer reach the database
    clockA.addAndGet(Duration.ofMillis(200).toNanos());
    a.tick();
    assertThat(a.leads()).as("within lease - margin by its own clock: still acting").isTrue();
    clockA.addAndGet(Duration.ofMillis(100).toNanos()); // 300 ms since its last renewal was asked: 400 - 150 passed
    a.tick();
    assertThat(a.leads()).isFalse();
    assertThat(events.getLast()).startsWith("a deposed 1: the lease could not be renewed for 250 ms");

    Awaitility.await("b leads once a's lease ran out").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          b.tick();
          return b.leads();
        });
    assertThat(b.epoch()).isEqualTo(2);
  }

  private static LeaderElector.Listener listener(String name, List<String> events) {
    return new LeaderElector.Listener() {
      @Override
      public void elected(long epoch) {
        events.add(name + " elected " + epoch);
      }

      @Override
      public void deposed(long epoch, String reason) {
        events.add(name + " deposed " + epoch + ": " + reason);
      }
    };
  }

  @Test
  void anEmbeddedH2StoreHasNoLeaseToShare(@TempDir Path dir) {
    try (JdbcStore h2 = JdbcStore.h2File(dir)) {
      assertThatThrownBy(() -> h2.leases(LEASE)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("store.url").hasMessageContaining("jdbc:postgresql://");
    }
  }
}
