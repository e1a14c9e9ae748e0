package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: bulk creation (all or nothing, errors by index) and cursor pagination of GET /vms
 * (stable while VMs are added and removed, filtered on the server), on a real Corral over HTTP.
 * VMs are created HOLD unless a test needs them placed, so that nothing moves under the test.
 */
class BulkAndPagingTest {
  @TempDir
  static Path home;
  static RunningCorral corral;
  static ApiClient api;

  @BeforeAll
  static void start() {
    corral = new RunningCorral(home);
    api = corral.api;
  }

  @AfterAll
  static void stop() {
    if (corral != null) {
      corral.close();
    }
  }

  /** A JSON list of held VMs named prefix-from .. prefix-to, with a label and optional NIC. */
  static String held(String prefix, int from, int to, String extra) {
    StringJoiner j = new StringJoiner(",", "[", "]");
    for (int i = from; i <= to; i++) {
      j.add("{\"name\": \"" + prefix + "-" + i + "\", \"cpus\": 1, \"memoryMib\": 256, \"hold\": true,"
          + " \"labels\": {\"tier\": \"" + (i % 2 == 0 ? "even" : "odd") + "\"}" + extra + "}");
    }
    return j.toString();
  }

  static Set<String> names() {
    Set<String> out = new TreeSet<>();
    String after = null;
    do {
      ApiClient.Reply r = api.get("/api/v1/vms?limit=7" + (after == null ? "" : "&after=" + after));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      r.json().forEach(v -> out.add(v.get("name").asText()));
      after = r.header(Pages.NEXT);
    } while (after != null);
    return out;
  }

  @Test
  void aListIsCreatedInOneStepWithDistinctLeases() {
    long before = corral.lastSeq();
    ApiClient.Reply r = api.post("/api/v1/vms", held("bulk", 1, 5, ", \"nics\": [{\"network\": \"net1\"}]"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    List<JsonNode> vms = new ArrayList<>();
    r.json().forEach(vms::add);
    assertThat(vms).extracting(v -> v.get("name").asText()).containsExactly("bulk-1", "bulk-2", "bulk-3", "bulk-4", "bulk-5");
    assertThat(vms).allSatisfy(v -> assertThat(v.get("state").asText()).isEqualTo("HOLD"));
    Set<String> ips = new HashSet<>();
    Set<String> macs = new HashSet<>();
    for (JsonNode v : vms) {
      ips.add(v.get("leases").get(0).get("ip").asText());
      macs.add(v.get("leases").get(0).get("mac").asText());
    }
    assertThat(ips).hasSize(5);
    assertThat(macs).hasSize(5);
    // One CREATED entry per VM, all in one batch (consecutive sequence numbers).
    List<JsonNode> created = corral.events(before, null).stream().filter(e -> e.get("kind").asText().equals("CREATED")).toList();
    assertThat(created).extracting(e -> e.get("subject").asText()).containsExactly("bulk-1", "bulk-2", "bulk-3", "bulk-4", "bulk-5");
  }

  @Test
  void oneBadVmFailsTheRequestWithItsIndexAndNothingIsCreated() {
    Set<String> before = names();
    long seq = corral.lastSeq();
    String body = "[{\"name\": \"bad-1\", \"cpus\": 1, \"memoryMib\": 256, \"hold\": true},"
        + " {\"name\": \"bad-2\", \"cpus\": 1, \"memoryMib\": 256, \"hold\": true},"
        + " {\"name\": \"bad-3\", \"cpus\": 1, \"memoryMib\": 0, \"hold\": true}]";
    ApiClient.Reply r = api.post("/api/v1/vms", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).isEqualTo("[2].spec.memoryMib");
    assertThat(r.json().get("detail").asText()).startsWith("[2].spec.memoryMib: ");

    ApiClient.Reply twice = api.post("/api/v1/vms", "[{\"name\": \"dup\", \"cpus\": 1, \"memoryMib\": 256},"
        + " {\"name\": \"dup\", \"cpus\": 1, \"memoryMib\": 256}]");
    assertThat(twice.status()).as(twice.toString()).isEqualTo(400);
    assertThat(twice.json().get("field").asText()).isEqualTo("[1].name");

    ApiClient.Reply image = api.post("/api/v1/vms", "[{\"name\": \"img-ok\", \"cpus\": 1, \"memoryMib\": 256},"
        + " {\"name\": \"img-bad\", \"cpus\": 1, \"memoryMib\": 256, \"disks\": [{\"image\": \"nosuch\"}]}]");
    assertThat(image.status()).as(image.toString()).isEqualTo(400);
    assertThat(image.json().get("field").asText()).isEqualTo("[1].disks[0].image");

    ApiClient.Reply type = api.post("/api/v1/vms", "[{\"name\": \"t-1\", \"cpus\": 1, \"memoryMib\": 256}, {\"name\": \"t-2\", \"cpus\": \"two\", \"memoryMib\": 256}]");
    assertThat(type.status()).as(type.toString()).isEqualTo(400);
    assertThat(type.json().get("field").asText()).isEqualTo("[1].cpus");

    assertThat(api.post("/api/v1/vms", "[]").status()).isEqualTo(400);

    assertThat(api.post("/api/v1/vms", held("exists", 1, 1, "")).status()).isEqualTo(201);
    ApiClient.Reply conflict = api.post("/api/v1/vms", held("exists", 0, 1, ""));
    assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
    assertThat(conflict.json().get("detail").asText()).startsWith("[1]: a VM named 'exists-1' already exists");

    Set<String> after = names();
    after.remove("exists-1");
    assertThat(after).isEqualTo(before);
    assertThat(corral.events(seq, null)).extracting(e -> e.get("subject").asText()).containsOnly("exists-1");
  }

  @Test
  void pagesAreStableWhileVmsAreAddedAndRemoved() {
    assertThat(api.post("/api/v1/vms", held("pg", 10, 49, "")).status()).isEqualTo(201);
    Set<String> all = new TreeSet<>();
    names().stream().filter(n -> n.startsWith("pg-")).forEach(all::add);
    assertThat(all).hasSize(40);

    List<String> seen = new ArrayList<>();
    ApiClient.Reply first = api.get("/api/v1/vms?label=tier&limit=10&after=pf");
    first.json().forEach(v -> seen.add(v.get("name").asText()));
    assertThat(seen).hasSize(10);
    String cursor = first.header(Pages.NEXT);
    assertThat(cursor).isEqualTo(seen.get(9));
    assertThat(first.header("Link")).contains("after=" + cursor).contains("label=tier").contains("limit=10").contains("rel=\"next\"");

    // Meanwhile: one VM already seen and one not yet seen are deleted; VMs are added before and
    // after the cursor.
    String goneSeen = seen.get(3);
    String goneAhead = "pg-45";
    assertThat(api.delete("/api/v1/vms/" + goneSeen).status()).isEqualTo(202);
    assertThat(api.delete("/api/v1/vms/" + goneAhead).status()).isEqualTo(202);
    RunningCorral.eventually().until(() -> api.get("/api/v1/vms/" + goneAhead).status() == 404
        && api.get("/api/v1/vms/" + goneSeen).status() == 404);
    assertThat(api.post("/api/v1/vms", held("pg", 0, 1, "")).status()).isEqualTo(201); // sort before the cursor
    assertThat(api.post("/api/v1/vms", held("pg", 90, 91, "")).status()).isEqualTo(201); // after it

    while (cursor != null) {
      ApiClient.Reply r = api.get("/api/v1/vms?label=tier&limit=10&after=" + cursor);
      assertThat(r.status()).isEqualTo(200);
      r.json().forEach(v -> seen.add(v.get("name").asText()));
      cursor = r.header(Pages.NEXT);
    }
    List<String> pg = seen.stream().filter(n -> n.startsWith("pg-")).toList();
    assertThat(new LinkedHashSet<>(pg)).as("no VM twice").hasSize(pg.size());
    Set<String> throughout = new TreeSet<>(all);
    throughout.remove(goneSeen);
    throughout.remove(goneAhead);
    assertThat(pg).as("every VM that existed throughout").containsAll(throughout);
    assertThat(pg).doesNotContain(goneAhead, "pg-0", "pg-1").contains("pg-90", "pg-91");
    assertThat(pg).isSorted();
  }

  @Test
  void filtersAreAppliedOnTheServer() {
    assertThat(api.post("/api/v1/vms", held("flt", 1, 6, "")).status()).isEqualTo(201);
    List<JsonNode> even = api.list("/api/v1/vms?label=tier=even&after=flt-0&limit=3");
    assertThat(even).extracting(v -> v.get("name").asText()).containsExactly("flt-2", "flt-4", "flt-6");
    assertThat(api.list("/api/v1/vms?owner=admin&state=HOLD&after=flt-5&limit=1"))
        .extracting(v -> v.get("name").asText()).containsExactly("flt-6");
    assertThat(api.list("/api/v1/vms?owner=nobody")).isEmpty();
    assertThat(api.list("/api/v1/vms?host=t01&state=HOLD")).isEmpty();

    // Placed VMs are found through the per-host index.
    assertThat(api.post("/api/v1/vms", "[{\"name\": \"onhost-1\", \"cpus\": 1, \"memoryMib\": 256,"
        + " \"requirements\": \"host.name == 't02'\"}]").status()).isEqualTo(201);
    corral.untilVmState("onhost-1", "RUNNING");
    assertThat(api.list("/api/v1/vms?host=t02")).extracting(v -> v.get("name").asText()).contains("onhost-1")
        .allSatisfy(n -> assertThat(corral.vm(n).get("host").asText()).isEqualTo("t02"));

    ApiClient.Reply tooMany = api.get("/api/v1/vms?limit=10001");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("field").asText()).isEqualTo("limit");
    assertThat(api.get("/api/v1/vms?limit=0").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/vms?label==x").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/vms?state=SLEEPING").status()).isEqualTo(400);
  }
}
