package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral quota show}: a user's limits beside what their VMs hold, and their group's. */
@Command(name = "quota", description = "Quotas: show.")
public final class QuotaCommand {
  private final Session session;

  public QuotaCommand(Session session) {
    this.session = session;
  }

  @Command(name = "show", description = "Show your quota and usage (an admin: --user's), and your group's.")
  int show(@Option(names = "--user", paramLabel = "USER", description = "Whose (administrators).") @Nullable String user) {
    JsonNode quotas = session.api().get("/quota", user == null ? Map.of() : Map.of("user", user));
    session.show(quotas, () -> {
      Table t = Table.of("SCOPE", "NAME", "VMS", "VCPUS", "MEMORY MIB", "DISK GIB");
      for (JsonNode q : quotas) {
        JsonNode l = q.path("limits");
        JsonNode u = q.path("usage");
        t.row(Nodes.text(q, "scope"), Nodes.text(q, "name"), used(u, l, "vms"), used(u, l, "cpus"), used(u, l, "memoryMib"),
            used(u, l, "diskGib"));
      }
      return t.render();
    });
    return ExitCode.OK.code();
  }

  /** "3/10", or "3/-" with no limit. */
  private static String used(JsonNode usage, JsonNode limits, String field) {
    return usage.path(field).asLong() + "/" + (limits.hasNonNull(field) ? limits.get(field).asText() : "-");
  }

  /** A quota as one cell: "10 VMs, 20 vCPUs" or "-". */
  static String limits(JsonNode q) {
    List<String> parts = new ArrayList<>();
    if (q.hasNonNull("vms")) {
      parts.add(q.get("vms").asText() + " VMs");
    }
    if (q.hasNonNull("cpus")) {
      parts.add(q.get("cpus").asText() + " vCPUs");
    }
    if (q.hasNonNull("memoryMib")) {
      parts.add(q.get("memoryMib").asText() + " MiB");
    }
    if (q.hasNonNull("diskGib")) {
      parts.add(q.get("diskGib").asText() + " GiB disk");
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }
}
