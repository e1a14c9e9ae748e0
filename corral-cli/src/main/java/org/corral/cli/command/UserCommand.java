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

/** {@code corral user ...}: users, their roles, groups and quotas (administrators). */
@Command(name = "user", description = "Users (administrators): create, list, delete, set-quota, set-password.")
public final class UserCommand {
  private final Session session;

  public UserCommand(Session session) {
    this.session = session;
  }

  @Command(name = "create", description = "Create a user. Give them a token with `corral token create --user NAME`,"
      + " or a password (--password) to log in with.")
  int create(
      @Parameters(paramLabel = "NAME", description = "The user name, e.g. alice.") String name,
      @Option(names = "--role", paramLabel = "ROLE", defaultValue = "developer", description = "admin or developer (default).") String role,
      @Option(names = "--group", paramLabel = "GROUP", description = "The group whose VMs and quota the user shares.") @Nullable String group,
      @Option(names = "--password", description = "Ask for a password (or read CORRAL_PASSWORD).") boolean password) {
    ObjectNode body = Json.object().put("name", name).put("role", role);
    if (group != null) {
      body.put("group", group);
    }
    if (password) {
      body.put("password", Passwords.read(session, "Password for " + name + ": "));
    }
    JsonNode created = session.api().post("/users", body);
    session.report(created, "user " + name + " created (" + role + (group == null ? "" : ", group " + group) + ")");
    return ExitCode.OK.code();
  }

  @Command(name = "list", description = "List users with their role, group and quota.")
  int list() {
    JsonNode users = session.api().get("/users");
    session.show(users, () -> {
      Table t = Table.of("NAME", "ROLE", "GROUP", "QUOTA", "PASSWORD", "CREATED");
      for (JsonNode u : users) {
        t.row(Nodes.text(u, "name"), Nodes.text(u, "role"), Nodes.text(u, "group"), QuotaCommand.limits(u.path("quota")),
            u.path("hasPassword").asBoolean() ? "yes" : "no", session.time(Nodes.text(u, "created")));
      }
      return t.render();
    });
    return ExitCode.OK.code();
  }

  @Command(name = "delete", description = "Delete a user and their tokens. Refused (exit 4) while they own VMs.")
  int delete(@Parameters(paramLabel = "NAME", description = "The user.") String name) {
    JsonNode answer = session.api().delete(CorralApi.path("users", name));
    session.report(answer, "user " + name + " deleted");
    return ExitCode.OK.code();
  }

  @Command(name = "set-quota", description = {"Set the limits of a user (or, with --group, of a group): what is not given is not limited.",
      "Every limit counts what the VMs' specs ask for, whatever their state."})
  int setQuota(
      @Parameters(paramLabel = "NAME", arity = "0..1", description = "The user (or use --group).") @Nullable String name,
      @Option(names = "--group", paramLabel = "GROUP", description = "Set the group's quota instead.") @Nullable String group,
      @Option(names = "--vms", paramLabel = "N", description = "VMs.") @Nullable Long vms,
      @Option(names = "--cpus", paramLabel = "N", description = "vCPUs.") @Nullable Long cpus,
      @Option(names = "--memory", paramLabel = "MIB", description = "Memory in MiB.") @Nullable Long memory,
      @Option(names = "--disk", paramLabel = "GIB", description = "Disk in GiB.") @Nullable Long disk) {
    if ((name == null) == (group == null)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "give a user NAME or --group GROUP (one of them)");
    }
    ObjectNode body = Json.object();
    body.put("vms", vms).put("cpus", cpus).put("memoryMib", memory).put("diskGib", disk);
    String path = name != null ? CorralApi.path("users", name, "quota") : CorralApi.path("groups", java.util.Objects.requireNonNull(group), "quota");
    JsonNode answer = session.api().put(path, body);
    session.report(answer, (name != null ? "user " + name : "group " + group) + ": quota " + QuotaCommand.limits(answer.path("quota")));
    return ExitCode.OK.code();
  }

  @Command(name = "set-password", description = "Set a password (yours, or an admin: anyone's); asks for it, or reads CORRAL_PASSWORD.")
  int setPassword(@Parameters(paramLabel = "NAME", description = "The user.") String name) {
    JsonNode answer = session.api().put(CorralApi.path("users", name, "password"),
        Json.object().put("password", Passwords.read(session, "New password for " + name + ": ")));
    session.report(answer, "password of " + name + " set");
    return ExitCode.OK.code();
  }
}
