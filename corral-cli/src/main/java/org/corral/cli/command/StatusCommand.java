package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.corral.cli.render.Details;
import org.corral.cli.render.Nodes;
import picocli.CommandLine.Command;

/** {@code corral status}: is Corral up, where is its store, how many hosts and VMs in which state. */
@Command(name = "status", description = "Show whether Corral is up, its version and store, and hosts/VMs counted by state.")
public final class StatusCommand implements Callable<Integer> {
  private final Session session;

  public StatusCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    JsonNode health = session.api().get("/health");
    if (session.json()) {
      session.printJson(health);
      return ExitCode.OK.code();
    }
    Details d = new Details()
        .add("Corral", Nodes.text(health, "status") + " at " + session.api().root())
        .add("Version", Nodes.text(health, "version"))
        .add("Started", session.time(Nodes.text(health, "startedAt")))
        .add("Store", Nodes.text(health, "store"))
        .add("Hosts", counted(health.path("hostsByState")))
        .add("VMs", counted(health.path("vmsByState")));
    String controllers = controllers(health.path("ha"));
    if (controllers != null) {
      d.add("Controllers", controllers);
    }
    session.print(d.render());
    return ExitCode.OK.code();
  }

  /**
   * With several controllers on one database: "c1 leader (epoch 4, lease 2.7 s left), c2 follower
   * (seen 0.3 s ago)"; null (the line is left out) for a single controller.
   */
  private static @org.jspecify.annotations.Nullable String controllers(JsonNode ha) {
    if (ha.isMissingNode() || !ha.has("controllers")) {
      return null;
    }
    StringJoiner j = new StringJoiner(", ");
    String leader = ha.path("leader").isTextual() ? ha.path("leader").asText() : null;
    for (JsonNode c : ha.path("controllers")) {
      String name = c.path("name").asText();
      if (name.equals(leader)) {
        j.add(String.format(java.util.Locale.ROOT, "%s leader (epoch %d, lease %.1f s left)", name, ha.path("epoch").asLong(),
            ha.path("leaseRemainingMs").asLong() / 1000.0));
      } else {
        j.add(String.format(java.util.Locale.ROOT, "%s %s (seen %.1f s ago)", name, "follower", c.path("seenMsAgo").asLong() / 1000.0));
      }
    }
    return j.toString() + (leader == null ? " (no leader: an election is under way)" : "");
  }

  /**
   * "3 (MAINTENANCE 1, UP 2)": the total, then per state in name order, from the counts the
   * health answer carries (no page of the VMs is read, however many there are).
   */
  private static String counted(JsonNode counts) {
    Map<String, Integer> byState = new TreeMap<>();
    counts.fields().forEachRemaining(e -> byState.put(e.getKey(), e.getValue().asInt()));
    StringJoiner j = new StringJoiner(", ", " (", ")").setEmptyValue("");
    byState.forEach((state, n) -> j.add(state + " " + n));
    return byState.values().stream().mapToInt(Integer::intValue).sum() + j.toString();
  }
}
