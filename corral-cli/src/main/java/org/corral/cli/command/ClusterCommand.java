package org.corral.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code corral cluster ...}: virtual clusters (docs/virtual-clusters.md). */
@Command(name = "cluster", description = "Virtual clusters: apply, plan, list, show, metrics, scale, stop, start, delete.")
public final class ClusterCommand {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Session session;
  @picocli.CommandLine.Spec
  CommandSpec spec;

  public ClusterCommand(Session session) {
    this.session = session;
  }

  @Command(name = "apply", description = "Create the cluster the file declares, or change it to match (the same file again changes nothing).")
  int apply(@Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The cluster spec (YAML).") Path file) {
    JsonNode c = session.api().post("/clusters", read(file));
    session.report(c, "cluster " + Nodes.text(c, "name") + " applied: " + Nodes.text(c, "condition", "phase") + " ("
        + Nodes.text(c, "condition", "reason") + ")");
    return ExitCode.OK.code();
  }

  @Command(name = "plan", description = "Show what apply would do now (members to create, actions, hooks); changes nothing.")
  int plan(@Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The cluster spec (YAML).") Path file) {
    JsonNode p = session.api().post("/clusters/plan", read(file));
    if (session.json()) {
      session.printJson(p);
      return ExitCode.OK.code();
    }
    StringBuilder b = new StringBuilder();
    for (String part : new String[] {"create", "actions", "hooks", "notes"}) {
      for (JsonNode n : p.path(part)) {
        b.append(part).append(": ").append(n.asText()).append('\n');
      }
    }
    b.append("then: ").append(Nodes.text(p, "condition", "phase")).append(" (").append(Nodes.text(p, "condition", "reason")).append(")\n");
    session.print(b.toString());
    return ExitCode.OK.code();
  }

  @Command(name = "list", description = "List clusters with their state.")
  int list() {
    JsonNode all = session.api().get("/clusters");
    if (session.json()) {
      session.printJson(all);
      return ExitCode.OK.code();
    }
    Table t = Table.of("NAME", "OWNER", "WANTED", "STATE", "MEMBERS", "REASON");
    for (JsonNode c : all) {
      t.row(Nodes.text(c, "name"), Nodes.text(c, "owner"), Nodes.text(c, "desire"), Nodes.text(c, "condition", "phase"),
          c.path("members").size(), Nodes.text(c, "condition", "reason"));
    }
    session.print(t.render());
    return ExitCode.OK.code();
  }

  @Command(name = "show", description = "Show a cluster: its state, roles, members and the history of its hooks and scaling.")
  int show(@Parameters(paramLabel = "NAME", description = "The cluster.") String name) {
    JsonNode c = session.api().get(CorralApi.path("clusters", name));
    if (session.json()) {
      session.printJson(c);
      return ExitCode.OK.code();
    }
    StringBuilder b = new StringBuilder();
    b.append(Nodes.text(c, "name")).append(": ").append(Nodes.text(c, "condition", "phase")).append(" (").append(Nodes.text(c, "condition", "reason"))
        .append("), wanted ").append(Nodes.text(c, "desire")).append(", owner ").append(Nodes.text(c, "owner")).append("\n\n");
    Table roles = Table.of("ROLE", "COUNT", "STATE", "REASON");
    c.path("roles").fields().forEachRemaining(e -> roles.row(e.getKey(), c.path("counts").has(e.getKey()) ? c.path("counts").get(e.getKey()).asText() : "-",
        Nodes.text(e.getValue(), "phase"), Nodes.text(e.getValue(), "reason")));
    b.append(roles.render()).append('\n');
    Table members = Table.of("MEMBER", "ROLE", "STATE", "HOST", "ADDRESS");
    for (JsonNode m : c.path("members")) {
      members.row(Nodes.text(m, "name"), Nodes.text(m, "role"), Nodes.text(m, "state"), Nodes.text(m, "host"), Nodes.text(m, "address"));
    }
    b.append(members.render()).append("\nhistory:\n");
    JsonNode history = c.path("history");
    for (int i = Math.max(0, history.size() - 20); i < history.size(); i++) {
      b.append("  ").append(history.get(i).asText()).append('\n');
    }
    session.print(b.toString());
    return ExitCode.OK.code();
  }

  @Command(name = "metrics", description = "Show a role's metrics as elasticity reads them: the periods kept, this period's probe samples, "
      + "the last decision.")
  int metrics(@Parameters(index = "0", paramLabel = "NAME", description = "The cluster.") String name,
      @Parameters(index = "1", paramLabel = "ROLE", description = "The role.") String role) {
    JsonNode m = session.api().get(CorralApi.path("clusters", name, "roles", role, "metrics"));
    if (session.json()) {
      session.printJson(m);
      return ExitCode.OK.code();
    }
    StringBuilder b = new StringBuilder();
    b.append(name).append('/').append(role).append(": count ").append(Nodes.text(m, "count")).append(", period ").append(Nodes.text(m, "period"))
        .append(", elasticity ").append(Nodes.text(m, "elasticity")).append(" (").append(Nodes.text(m, "reason")).append(")\n");
    java.util.Set<String> columns = new java.util.TreeSet<>();
    m.path("periods").forEach(p -> p.fieldNames().forEachRemaining(columns::add));
    List<String> header = new java.util.ArrayList<>(List.of("PERIOD"));
    header.addAll(columns);
    Table t = Table.of(header.toArray(String[]::new));
    int i = -m.path("periods").size();
    for (JsonNode p : m.path("periods")) {
      List<Object> row = new java.util.ArrayList<>(List.of(i++));
      columns.forEach(col -> row.add(p.has(col) ? p.get(col).asText() : "-"));
      t.row(row.toArray());
    }
    b.append(t.render());
    m.path("current").fields().forEachRemaining(e -> b.append("this period: ").append(e.getKey()).append(' ').append(e.getValue()).append('\n'));
    session.print(b.toString());
    return ExitCode.OK.code();
  }

  @Command(name = "scale", description = "Set a role's member count (within its min and max); scale-down drains members first.")
  int scale(@Parameters(index = "0", paramLabel = "NAME", description = "The cluster.") String name,
      @Parameters(index = "1", paramLabel = "ROLE", description = "The role.") String role,
      @Parameters(index = "2", paramLabel = "COUNT", description = "Members wanted.") int count) {
    JsonNode c = session.api().post(CorralApi.path("clusters", name, "scale"), Json.object().put("role", role).put("count", count));
    session.report(c, "cluster " + name + ": " + role + " scaled to " + count);
    return ExitCode.OK.code();
  }

  @Command(name = "stop", description = "Stop a cluster: onStop hooks in reverse dependency order, then its VMs are stopped (kept).")
  int stop(@Parameters(paramLabel = "NAME", description = "The cluster.") String name) {
    return desire(name, "stop", "stopping");
  }

  @Command(name = "start", description = "Start a stopped cluster.")
  int start(@Parameters(paramLabel = "NAME", description = "The cluster.") String name) {
    return desire(name, "start", "starting");
  }

  @Command(name = "delete", description = "Delete a cluster: onStop hooks, then only the VMs it created are stopped and deleted.")
  int delete(@Parameters(paramLabel = "NAME", description = "The cluster.") String name) {
    JsonNode c = session.api().delete(CorralApi.path("clusters", name));
    session.report(c, "cluster " + name + " is being deleted");
    return ExitCode.OK.code();
  }

  private int desire(String name, String verb, String doing) {
    JsonNode c = session.api().post(CorralApi.path("clusters", name, verb), null);
    session.report(c, "cluster " + name + " " + doing);
    return ExitCode.OK.code();
  }

  /** The spec file as JSON (the API's body); a file that is not YAML is a usage error naming it. */
  private JsonNode read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--file: cannot read '" + file + "' (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    try {
      JsonNode n = YAML.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw new ParameterException(spec.commandLine(), "--file: '" + file + "' is empty; see examples/web.yaml");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new ParameterException(spec.commandLine(), "--file: '" + file + "' is not valid YAML: " + e.getOriginalMessage());
    }
  }
}
