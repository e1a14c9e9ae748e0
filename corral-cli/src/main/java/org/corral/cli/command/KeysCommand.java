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

/** {@code corral keys ...}: EC2 access keys, for AWS clients (docs/ec2-api.md). */
@Command(name = "keys", description = "EC2 access keys for AWS clients: create (secret shown once), list, delete.")
public final class KeysCommand {
  private final Session session;

  public KeysCommand(Session session) {
    this.session = session;
  }

  @Command(name = "create", description = {"Create an access key and print it as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY:"
      + " the secret is shown this once.", "e.g. eval \"$(corral keys create)\"; then aws ec2 ... --endpoint-url http://127.0.0.1:8773"
      + " --region corral-1"})
  int create(
      @Option(names = "--user", paramLabel = "USER", description = "Whose (administrators; default: yours).") @Nullable String user,
      @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.") @Nullable String description) {
    ObjectNode body = Json.object();
    if (user != null) {
      body.put("user", user);
    }
    if (description != null) {
      body.put("description", description);
    }
    JsonNode k = session.api().post("/keys", body);
    if (session.json()) {
      session.printJson(k);
    } else {
      session.out().println("export AWS_ACCESS_KEY_ID=" + k.get("id").asText());
      session.out().println("export AWS_SECRET_ACCESS_KEY=" + k.get("secret").asText());
      session.err().println("access key " + k.path("id").asText() + " of " + k.path("user").asText()
          + "; the secret is not shown again");
    }
    return ExitCode.OK.code();
  }

  @Command(name = "list", description = "List access keys (yours; an admin: everyone's, or --user's), never their secrets.")
  int list(@Option(names = "--user", paramLabel = "USER", description = "Only this user's.") @Nullable String user) {
    JsonNode keys = session.api().get("/keys", user == null ? java.util.Map.of() : java.util.Map.of("user", user));
    session.show(keys, () -> {
      Table t = Table.of("ID", "USER", "CREATED", "DESCRIPTION");
      for (JsonNode k : keys) {
        t.row(Nodes.text(k, "id"), Nodes.text(k, "user"), session.time(Nodes.text(k, "created")), Nodes.text(k, "description"));
      }
      return t.render();
    });
    return ExitCode.OK.code();
  }

  @Command(name = "delete", description = "Delete an access key: requests signed with it are refused at once.")
  int delete(@Parameters(paramLabel = "ID", description = "The key's id (CKIA..., from `corral keys list`).") String id) {
    JsonNode answer = session.api().delete(CorralApi.path("keys", id));
    session.report(answer, "access key " + id + " deleted");
    return ExitCode.OK.code();
  }
}
