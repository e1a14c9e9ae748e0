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

/** {@code corral token ...}: API tokens for scripts and other machines. */
@Command(name = "token", description = "API tokens: create (shown once), list, revoke.")
public final class TokenCommand {
  private final Session session;

  public TokenCommand(Session session) {
    this.session = session;
  }

  @Command(name = "create", description = {"Create a token and print it: it is shown this once, and Corral keeps only its hash.",
      "Use it as CORRAL_TOKEN, or as Authorization: Bearer TOKEN."})
  int create(
      @Option(names = "--user", paramLabel = "USER", description = "Whose (administrators; default: yours).") @Nullable String user,
      @Option(names = "--expires", paramLabel = "DURATION", description = "How long it lasts, e.g. 30d (default 90d).") @Nullable String expires,
      @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.") @Nullable String description) {
    ObjectNode body = Json.object();
    if (user != null) {
      body.put("user", user);
    }
    if (expires != null) {
      body.put("expiresIn", expires);
    }
    if (description != null) {
      body.put("description", description);
    }
    JsonNode t = session.api().post("/tokens", body);
    if (session.json()) {
      session.printJson(t);
    } else {
      session.out().println(t.get("token").asText());
      session.err().println("token " + t.path("id").asText() + " of " + t.path("user").asText() + ", expires "
          + session.time(t.path("expires").asText(null)) + "; it is not shown again");
    }
    return ExitCode.OK.code();
  }

  @Command(name = "list", description = "List tokens (yours; an admin: everyone's, or --user's), never their secrets.")
  int list(@Option(names = "--user", paramLabel = "USER", description = "Only this user's.") @Nullable String user) {
    JsonNode tokens = session.api().get("/tokens", user == null ? java.util.Map.of() : java.util.Map.of("user", user));
    session.show(tokens, () -> {
      Table t = Table.of("ID", "USER", "CREATED", "EXPIRES", "DESCRIPTION");
      for (JsonNode k : tokens) {
        t.row(Nodes.text(k, "id"), Nodes.text(k, "user"), session.time(Nodes.text(k, "created")),
            k.hasNonNull("expires") ? session.time(Nodes.text(k, "expires")) : "never", Nodes.text(k, "description"));
      }
      return t.render();
    });
    return ExitCode.OK.code();
  }

  @Command(name = "revoke", description = "Revoke a token: it stops working at once.")
  int revoke(@Parameters(paramLabel = "ID", description = "The token's id (12 hex digits, from `corral token list`).") String id) {
    JsonNode answer = session.api().delete(CorralApi.path("tokens", id));
    session.report(answer, "token " + id + " revoked");
    return ExitCode.OK.code();
  }
}
