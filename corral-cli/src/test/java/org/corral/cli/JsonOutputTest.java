package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.cli.Bodies.json;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** With -o json every command prints the API's answer unchanged (pretty-printed) and nothing else. */
class JsonOutputTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  static Stream<Arguments> commands() {
    String web1 = Fixtures.vm("RUNNING", "node1", null);
    return Stream.of(
        Arguments.of("host show node1", "GET", "/hosts/node1", Fixtures.NODE1),
        Arguments.of("host maintenance node2 --off", "POST", "/hosts/node2/maintenance", Fixtures.NODE2_MAINTENANCE),
        Arguments.of("host power-on node2", "POST", "/hosts/node2/power-on", Fixtures.NODE2_MAINTENANCE),
        Arguments.of("vm list", "GET", "/vms?limit=500", "[" + web1 + "," + Fixtures.DB1_PENDING + "]"),
        Arguments.of("vm show web1", "GET", "/vms/web1", web1),
        Arguments.of("vm start web1", "POST", "/vms/web1/start", web1),
        Arguments.of("vm stop web1 --force", "POST", "/vms/web1/stop", web1),
        Arguments.of("vm migrate web1 --to node2", "POST", "/vms/web1/migrate", Fixtures.migrating("node1", "node2")),
        Arguments.of("vm delete web1", "DELETE", "/vms/web1", web1),
        Arguments.of("vm hold web1", "POST", "/vms/web1/hold", web1),
        Arguments.of("network create lab --bridge br1 --cidr 10.1.0.0/24", "POST", "/networks", "{\"name\": \"lab\", \"bridge\": \"br1\", \"cidr\": \"10.1.0.0/24\"}"),
        Arguments.of("image list", "GET", "/images", Fixtures.IMAGES),
        Arguments.of("events", "GET", "/events?last=100", "[" + Fixtures.EVENT_1 + "]"),
        Arguments.of("sim crash node1", "POST", "/sim/hosts/node1/crash", "{\"crashed\": true}"),
        Arguments.of("sim workload web1 --constant 0", "POST", "/sim/vms/web1/workload", "{\"ok\": true}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void printsTheAnswerAsIs(String args, String method, String path, String answer) {
    api.on(method, path, method.equals("POST") && path.equals("/networks") ? 201 : 200, answer);

    Run r = Run.corral(api, (args + " -o json").split(" "));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(api.last().method()).isEqualTo(method);
    assertThat(api.last().path() + (api.last().query() == null ? "" : "?" + api.last().query())).isEqualTo(path);
    assertThat(json(r.out())).isEqualTo(json(answer));
  }
}
