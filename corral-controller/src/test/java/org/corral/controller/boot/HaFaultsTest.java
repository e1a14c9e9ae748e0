package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.corral.controller.store.Changes;
import org.corral.controller.store.DeposedException;
import org.corral.controller.store.JdbcStore;
import org.corral.controller.store.TestPostgres;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controller HA under the faults of issue 23, with real `corral up` processes on a real
 * PostgreSQL: the leader cut off from the database (a TCP proxy the test controls), the leader
 * paused (SIGSTOP) for longer than its lease, and a rolling restart of every controller under a
 * stream of VM creates. In each, the old leader stops acting, another leads with the next epoch,
 * the old one follows once it is back, a write with its old epoch is refused, and nothing the API
 * accepted is lost or done twice. Waits are bounded polls with generous limits (a loaded 2-core
 * machine); nothing sleeps.
 */
class HaFaultsTest {
  /** Generous: on a loaded 2-core machine a controller's start has taken over a minute. */
  private static final Duration LONG = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void aLeaderCutOffFromTheDatabaseStopsActingTheOtherLeadsAndOnceHealedItFollowsAndItsStaleWriteIsRefused() throws Exception {
    TestPostgres pg = HaFailoverTest.database();
    try (HaCluster ha = new HaCluster(pg, dir, List.of("c1", "c2"))) {
      TcpProxy cable = ha.throughProxy("c1");
      long epoch = leadsThenFollows(ha);

      cable.cut();
      String[] order = firstChanges(ha);
      assertThat(order).as("c1 stopped acting (by its own clock) before c2 led").containsExactly("c1 follows", "c2 leads");
      assertThat(ha.get("c2", "/health").at("/ha/epoch").asLong()).isEqualTo(epoch + 1);
      created(ha, "c2", "after-cut");

      cable.heal();
      await("c1 follows c2 once the cut healed").atMost(LONG).pollInterval(Duration.ofMillis(100))
          .until(() -> "c2".equals(ha.get("c1", "/health").at("/ha/leader").asText()));
      assertThat(ha.role("c1")).isEqualTo("follower");
      staleWriteIsRefused(ha, pg, epoch);

      created(ha, "c1", "through-c1"); // a follower again: sends the write to c2
      nothingLostOrRepeated(ha, "c2", Set.of("web1", "after-cut", "through-c1"), 2);
    }
  }

  @Test
  void aLeaderWhoseDatabaseStopsAnsweringStopsActingAndTheOtherLeads() throws Exception {
    TestPostgres pg = HaFailoverTest.database();
    try (HaCluster ha = new HaCluster(pg, dir, List.of("c1", "c2"))) {
      TcpProxy cable = ha.throughProxy("c1");
      long epoch = leadsThenFollows(ha);

      // Packets lost, not refused: without a bound on each wait, c1's renewal would hang until TCP
      // gives up (minutes) and c1 would never notice that it no longer leads.
      cable.blackhole();
      String[] order = firstChanges(ha);
      assertThat(order).as("c1 stopped acting (by its own clock) before c2 led").containsExactly("c1 follows", "c2 leads");
      assertThat(ha.get("c2", "/health").at("/ha/epoch").asLong()).isEqualTo(epoch + 1);
      created(ha, "c2", "after-blackhole");
      // Still cut off, c1 ends its term (its store's statements time out: 30 s at most) and answers
      // as a follower: clients that reach it are told who leads, though it cannot read the database.
      await("c1 answers as a follower while the network drops its packets").atMost(LONG).pollInterval(Duration.ofMillis(200))
          .ignoreExceptions().until(() -> "follower".equals(ha.role("c1")));

      cable.heal();
      await("c1 follows c2 once the network answers again").atMost(LONG).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions().until(() -> "c2".equals(ha.get("c1", "/health").at("/ha/leader").asText()));
      nothingLostOrRepeated(ha, "c2", Set.of("web1", "after-blackhole"), 2);
    }
  }

  @Test
  void aLeaderPausedLongerThanItsLeaseFollowsWhenItWakesAndItsStaleWriteIsRefused() throws Exception {
    TestPostgres pg = HaFailoverTest.database();
    try (HaCluster ha = new HaCluster(pg, dir, List.of("c1", "c2"))) {
      long epoch = leadsThenFollows(ha);

      ha.pause("c1");
      assertThat(ha.awaitLeader(LONG, List.of("c2"))).isEqualTo("c2");
      assertThat(ha.get("c2", "/health").at("/ha/epoch").asLong()).isEqualTo(epoch + 1);
      created(ha, "c2", "during-pause");
      // A request waits in c1's socket while it is stopped: on SIGCONT its API and its elector
      // race; either c1 refuses it (its write carries the old epoch) or it already follows and
      // sends it to c2. Never is it applied by c1, nor twice.
      AtomicReference<HttpResponse<String>> woken = new AtomicReference<>();
      AtomicReference<Exception> failed = new AtomicReference<>();
      Thread client = Thread.ofVirtual().start(() -> {
        try {
          woken.set(ha.post("c1", "/vms", HaFailoverTest.vm("at-wake")));
        } catch (Exception e) {
          failed.set(e);
        }
      });
      ha.resume("c1");
      await("c1 follows c2 after SIGCONT").atMost(LONG).pollInterval(Duration.ofMillis(100))
          .until(() -> "follower".equals(ha.role("c1")) && "c2".equals(ha.get("c1", "/health").at("/ha/leader").asText()));
      await("the request sent to c1 while it was stopped is answered").atMost(LONG).until(() -> !client.isAlive());
      HttpResponse<String> r = woken.get();
      System.out.println("the request c1 found when it woke: " + (r != null ? r.statusCode() + " " + r.body() : failed.get()));
      staleWriteIsRefused(ha, pg, epoch);

      Set<String> accepted = new java.util.HashSet<>(Set.of("web1", "during-pause"));
      if (r != null && r.statusCode() == 201) {
        accepted.add("at-wake");
      } else {
        assertThat(ha.rows("vms", "name = 'at-wake'")).as("a refused request leaves nothing").isZero();
      }
      nothingLostOrRepeated(ha, "c2", accepted, 2);
    }
  }

  @Test
  void aRollingRestartOfEveryControllerUnderAStreamOfCreatesLosesNoRequestAndAppliesNoneTwice() throws Exception {
    TestPostgres pg = HaFailoverTest.database();
    List<String> names = List.of("c1", "c2", "c3");
    try (HaCluster ha = new HaCluster(pg, dir, names)) {
      for (String n : names) {
        ha.start(n);
      }
      ha.token();
      ha.awaitLeader(LONG, names);

      Set<String> accepted = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> streamFailed = new AtomicReference<>();
      Thread stream = Thread.ofVirtual().start(() -> {
        try {
          for (int i = 1; !stop.get() && i <= 300; i++) {
            accepted.add(createUntilAnswered(ha, names, "s" + i));
          }
        } catch (Throwable t) {
          streamFailed.set(t);
        }
      });
      for (String n : names) {
        int before = accepted.size();
        await("creates go on before " + n + " restarts").atMost(LONG).until(() -> accepted.size() >= before + 3 || streamFailed.get() != null);
        ha.stop(n);
        ha.start(n);
        ha.awaitLeader(LONG, names);
      }
      int before = accepted.size();
      await("creates go on after the last restart").atMost(LONG).until(() -> accepted.size() >= before + 3 || streamFailed.get() != null);
      stop.set(true);
      await("the stream stops").atMost(LONG).until(() -> !stream.isAlive());
      assertThat(streamFailed.get()).as("every create was answered in the end").isNull();
      System.out.println("rolling restart: " + accepted.size() + " VMs accepted under three restarts");

      String leader = ha.awaitLeader(LONG, names);
      assertThat(ha.rows("vms", "")).as("every accepted VM is in the store once, nothing else").isEqualTo(accepted.size());
      nothingLostOrRepeated(ha, leader, accepted, 2);
    }
  }

  /**
   * POSTs {@code vm} to one controller after another (following a 307, as the CLI does) until one
   * answers 201, or 409 after an earlier try whose answer was lost (then the earlier one created it).
   */
  private static String createUntilAnswered(HaCluster ha, List<String> names, String vm) {
    int[] tries = {0};
    List<String> answers = new java.util.ArrayList<>();
    ha.onTimeout("a controller accepts " + vm + " (answers: " + answers + ")",
        () -> await().atMost(LONG).pollInterval(Duration.ofMillis(100)).until(() -> {
          String target = names.get(tries[0]++ % names.size());
          try {
            HttpResponse<String> r = ha.post(target, "/vms", HaFailoverTest.vm(vm));
            if (r.statusCode() == 409 && tries[0] == 1) {
              throw new AssertionError(vm + " existed before it was ever sent: " + r.body());
            }
            answers.add(target + ": " + r.statusCode() + " " + r.body());
            return r.statusCode() == 201 || r.statusCode() == 409;
          } catch (java.io.IOException e) {
            answers.add(target + ": " + e);
            return false; // the controller is stopping or starting: the next one
          }
        }));
    return vm;
  }

  /** c1 starts and leads, c2 follows; web1 is created through c2 and runs. Returns c1's epoch. */
  private static long leadsThenFollows(HaCluster ha) throws Exception {
    ha.start("c1");
    ha.token();
    assertThat(ha.awaitLeader(LONG, List.of("c1"))).isEqualTo("c1");
    ha.start("c2");
    await("c2 follows").atMost(LONG).pollInterval(Duration.ofMillis(100)).until(() -> "follower".equals(ha.role("c2")));
    created(ha, "c2", "web1");
    await("web1 runs").atMost(LONG).pollInterval(Duration.ofMillis(100)).until(() -> "RUNNING".equals(ha.states("c1").get("web1")));
    return ha.get("c1", "/health").at("/ha/epoch").asLong();
  }

  /** Polls both until c1 no longer leads and c2 leads; returns the two changes in the order first seen. */
  private static String[] firstChanges(HaCluster ha) {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ha.onTimeout("c1 steps down and c2 leads (seen: " + seen + ")", () -> await().atMost(LONG).pollInterval(Duration.ofMillis(20)).until(() -> {
      if (!seen.contains("c1 follows") && !"leader".equals(ha.role("c1"))) {
        seen.add("c1 follows");
      }
      if (!seen.contains("c2 leads") && "leader".equals(ha.role("c2"))) {
        seen.add("c2 leads");
      }
      return seen.size() == 2;
    }));
    return seen.toArray(String[]::new);
  }

  private static void created(HaCluster ha, String via, String vm) throws Exception {
    HttpResponse<String> r = ha.post(via, "/vms", HaFailoverTest.vm(vm));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /**
   * What c1's store would do with a write of its last term, through c1's own way to the database:
   * refused whole by epoch, nothing of it stored.
   */
  private static void staleWriteIsRefused(HaCluster ha, TestPostgres pg, long epoch) throws Exception {
    try (JdbcStore old = JdbcStore.open(ha.storeUrl("c1"), pg.user(), pg.password())) {
      old.fence("c1", epoch);
      Vm stale = Vm.pending("stale-1", "00000000-0000-0000-0000-0000000000aa", VmSpec.of(1, 512), null, null, Instant.now());
      assertThatThrownBy(() -> old.write(new Changes().put(stale)))
          .isInstanceOf(DeposedException.class).hasMessageContaining("no longer leads with epoch " + epoch);
    }
    assertThat(ha.rows("vms", "name = 'stale-1'")).isZero();
  }

  /** Every VM of {@code accepted} created once (and no other), no action started twice, the leader changes journaled. */
  private static void nothingLostOrRepeated(HaCluster ha, String via, Set<String> accepted, int leaders) throws Exception {
    try {
      await("every accepted VM placed and started").atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
        Map<String, String> s = ha.states(via);
        return s.keySet().containsAll(accepted) && accepted.stream().noneMatch(v -> List.of("PROVISIONING", "BOOTING").contains(s.get(v)));
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not settled: " + ha.states(via), e);
    }
    HaCluster.Tally t = ha.tally(via);
    assertThat(t.created()).as("each accepted VM created once, none lost").containsOnlyKeys(accepted)
        .allSatisfy((vm, n) -> assertThat(n).as(vm).isEqualTo(1));
    assertThat(t.started()).as("no action started twice").allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1));
    assertThat(t.leaders()).as("each change of leader journaled").isGreaterThanOrEqualTo(leaders);
  }
}
