package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API errors become "error: ..." on stderr and the documented exit status; never a stack trace. */
class ErrorMappingTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void invalidInputIsExit5WithTheField() {
    api.on("POST", "/vms", 400, Fixtures.problem("invalid-input", 400,
        "spec.memoryMib: must be between 1 and 16777216 MiB, got 0; give memory in MiB, e.g. --memory 2048", "spec.memoryMib"));

    Run r = Run.corral(api, "vm", "create", "web1", "--cpus", "2", "--memory", "0");

    assertThat(r.code()).isEqualTo(5);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("""
        error: spec.memoryMib: must be between 1 and 16777216 MiB, got 0; give memory in MiB, e.g. --memory 2048
          field: spec.memoryMib
        """);
  }

  @Test
  void notFoundIsExit3() {
    api.on("GET", "/vms/nope", 404, Fixtures.problem("not-found", 404, "no VM named nope", null));

    Run r = Run.corral(api, "vm", "show", "nope");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("error: no VM named nope\n");
  }

  @Test
  void conflictAndIllegalTransitionAreExit4() {
    api.on("DELETE", "/hosts/node1", 409, Fixtures.problem("conflict", 409, "host node1 still has 2 VMs; migrate or delete them first", null));
    api.on("POST", "/vms/web1/migrate", 409, Fixtures.problem("illegal-transition", 409, "vm web1 is STOPPED; only a RUNNING VM migrates", null));

    Run conflict = Run.corral(api, "host", "remove", "node1");
    Run illegal = Run.corral(api, "vm", "migrate", "web1", "--to", "node2", "-o", "json");

    assertThat(conflict.code()).isEqualTo(4);
    assertThat(conflict.err()).isEqualTo("error: host node1 still has 2 VMs; migrate or delete them first\n");
    assertThat(illegal.code()).isEqualTo(4);
    assertThat(illegal.out()).isEmpty();
    assertThat(illegal.err()).startsWith("error: vm web1 is STOPPED");
  }

  @Test
  void unavailableIsExit6() {
    api.on("GET", "/hosts", 503, Fixtures.problem("unavailable", 503, "Corral is starting; try again in a few seconds", null));

    Run r = Run.corral(api, "host", "list");

    assertThat(r.code()).isEqualTo(6);
    assertThat(r.err()).isEqualTo("error: Corral is starting; try again in a few seconds\n");
  }

  @Test
  void anErrorThatIsNotProblemJsonStillReadsWell() {
    api.on("GET", "/hosts", 500, "<html>Internal Server Error</html>");

    Run r = Run.corral(api, "host", "list");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: Corral answered HTTP 500: <html>Internal Server Error</html>\n");
  }

  @Test
  void aSuccessThatIsNotJsonIsExit1() {
    api.on("GET", "/hosts", 200, "hello");

    Run r = Run.corral(api, "host", "list");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: the answer of GET " + api.url() + "/api/v1/hosts is not JSON");
  }

  @Test
  void connectionRefusedIsExit6WithAHint() {
    FakeCorral gone = FakeCorral.start();
    String url = gone.url();
    gone.close();

    Run r = Run.with(Map.of("CORRAL_API", url), "vm", "list");

    assertThat(r.code()).isEqualTo(6);
    assertThat(r.err()).isEqualTo("error: cannot reach Corral at " + url + ": is it running? start it with ./corral up\n");
  }

  @Test
  void apiOptionBeatsTheEnvironmentAndMayIncludeTheApiPrefix() {
    api.on("GET", "/hosts", 200, "[]");

    Run r = Run.with(Map.of("CORRAL_API", "http://127.0.0.1:1"), "host", "list", "--api", api.url() + "/api/v1/");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("NAME  STATE  CPUS  MEMORY  VMS  CPU  WATTS  REASON\n");
  }

  @Test
  void anUnusableApiUrlIsAUsageError() {
    Run r = Run.with(Map.of("CORRAL_API", "localhost:7070"), "host", "list");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: 'localhost:7070' is not an http:// or https:// URL; give e.g. --api http://localhost:7070\n");
  }
}
