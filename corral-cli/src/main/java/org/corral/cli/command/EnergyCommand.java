package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import picocli.CommandLine.Command;

/**
 * {@code corral energy}: energy drawn per host and in total, against every host staying on; per
 * host, whether its power is measured by its power controller or taken from its model, and why.
 */
@Command(name = "energy", description = "Show the energy each host drew, the total, and what switching hosts off saved.")
public final class EnergyCommand implements Callable<Integer> {
  private final Session session;

  public EnergyCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    JsonNode r = session.api().get("/energy", Map.of());
    session.show(r, () -> {
      Table t = Table.of("HOST", "STATE", "WATTS", "ENERGY", "ALL-ON", "SOURCE", "DETAIL");
      for (JsonNode h : r.path("hosts")) {
        t.row(Nodes.text(h, "name"), Nodes.text(h, "state"), String.format(Locale.ROOT, "%.1f W", h.path("watts").asDouble()),
            kwh(h.path("joules").asDouble()), kwh(h.path("baselineJoules").asDouble()), Nodes.text(h, "source"),
            Nodes.text(h, "detail"));
      }
      StringBuilder groups = new StringBuilder();
      if (!r.path("groups").isEmpty()) {
        Table g = Table.of("GROUP", "HOSTS", "ENERGY", "ALL-ON");
        for (JsonNode grp : r.path("groups")) {
          g.row(Nodes.text(grp, "label"), Nodes.whole(grp, "hosts"), kwh(grp.path("joules").asDouble()),
              kwh(grp.path("baselineJoules").asDouble()));
        }
        groups.append('\n').append(g.render());
      }
      double used = r.path("joules").asDouble();
      double base = r.path("baselineJoules").asDouble();
      return t.render() + groups + String.format(Locale.ROOT, "since %s: %s drawn, %s with every host on, %s saved (%.0f %%)%n",
          session.time(Nodes.text(r, "since")), kwh(used), kwh(base), kwh(base - used), base > 0 ? 100 * (base - used) / base : 0);
    });
    return ExitCode.OK.code();
  }

  private static String kwh(double joules) {
    return String.format(Locale.ROOT, "%.3f kWh", joules / 3.6e6);
  }
}
