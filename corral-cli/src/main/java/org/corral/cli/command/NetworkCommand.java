package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code corral network ...}: the networks VMs get NICs and leased IPs on. */
@Command(name = "network", description = "Networks: list, create, delete.")
public final class NetworkCommand {
  private final Session session;

  public NetworkCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "List networks with their bridge, CIDR, gateway and lease range.")
  int list() {
    JsonNode networks = session.api().get("/networks");
    if (session.json()) {
      session.printJson(networks);
      return ExitCode.OK.code();
    }
    Table t = Table.of("NAME", "BRIDGE", "CIDR", "GATEWAY", "RANGE", "MAC START");
    for (JsonNode n : networks) {
      String first = Nodes.text(n, "firstIp");
      String last = Nodes.text(n, "lastIp");
      t.row(Nodes.text(n, "name"), Nodes.text(n, "bridge"), Nodes.text(n, "cidr"), Nodes.text(n, "gateway"),
          first == null && last == null ? null : (first == null ? "-" : first) + "-" + (last == null ? "-" : last),
          Nodes.text(n, "macStart"));
    }
    session.print(t.render());
    return ExitCode.OK.code();
  }

  @Command(name = "create", description = "Create a network on an existing bridge; VMs lease IPs from its range.")
  int create(
      @Parameters(paramLabel = "NAME", description = "The network's name, e.g. default.") String name,
      @Option(names = "--bridge", required = true, paramLabel = "BRIDGE", description = "The bridge on every host, e.g. br0.") String bridge,
      @Option(names = "--cidr", required = true, paramLabel = "CIDR", description = "The subnet, e.g. 10.0.0.0/24.") String cidr,
      @Option(names = "--gateway", paramLabel = "IP", description = "The gateway (default: first address of the subnet).") @Nullable String gateway,
      @Option(names = "--first-ip", paramLabel = "IP", description = "First address to lease.") @Nullable String firstIp,
      @Option(names = "--last-ip", paramLabel = "IP", description = "Last address to lease.") @Nullable String lastIp,
      @Option(names = "--mac-start", paramLabel = "MAC", description = "First MAC to hand out (default 52:54:00:01:00:00).") @Nullable String macStart) {
    ObjectNode body = Json.object().put("name", name).put("bridge", bridge).put("cidr", cidr);
    putIfGiven(body, "gateway", gateway);
    putIfGiven(body, "firstIp", firstIp);
    putIfGiven(body, "lastIp", lastIp);
    putIfGiven(body, "macStart", macStart);
    JsonNode created = session.api().post("/networks", body);
    session.report(created, "network " + name + " created");
    return ExitCode.OK.code();
  }

  @Command(name = "delete", description = "Delete a network. Refused (exit 4) while VMs use it.")
  int delete(@Parameters(paramLabel = "NAME", description = "The network.") String name) {
    JsonNode answer = session.api().delete(CorralApi.path("networks", name));
    session.report(answer, "network " + name + " deleted");
    return ExitCode.OK.code();
  }

  private static void putIfGiven(ObjectNode body, String field, @Nullable String value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
