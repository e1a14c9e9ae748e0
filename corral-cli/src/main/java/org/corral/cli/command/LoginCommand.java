package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code corral login USER}: a password for a token, kept for this API URL in the credentials file. */
@Command(name = "login", description = {"Log in to Corral (--api, CORRAL_API) as USER: asks for the password (or reads",
    "CORRAL_PASSWORD) and keeps the token it gets in ~/.config/corral/credentials.json (CORRAL_CREDENTIALS), mode 0600.",
    "Not needed on the machine `corral up` runs on: the CLI uses the admin token it wrote under CORRAL_HOME."})
public final class LoginCommand implements java.util.concurrent.Callable<Integer> {
  private final Session session;

  // picocli always sets it: the parameter is required.
  @SuppressWarnings("NullAway.Init")
  @Parameters(paramLabel = "USER", description = "The user name.")
  String user;

  @picocli.CommandLine.Option(names = "--expires", paramLabel = "DURATION", description = "How long the token lasts, e.g. 30d (default 90d).")
  @org.jspecify.annotations.Nullable String expires;

  public LoginCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    String password = Passwords.read(session, "Password for " + user + ": ");
    var body = Json.object().put("user", user).put("password", password);
    if (expires != null) {
      body.put("expiresIn", expires);
    }
    JsonNode answer;
    try (CorralApi anonymous = session.anonymousApi()) {
      answer = anonymous.post("/login", body);
    }
    Path file = Credentials.store(session, session.apiUrl(), user, answer.get("token").asText());
    if (session.json()) {
      session.printJson(Json.object().put("user", user).put("role", answer.path("role").asText())
          .put("expires", answer.path("expires").asText()).put("credentials", file.toString()));
    } else {
      session.out().println("logged in to " + Credentials.key(session.apiUrl()) + " as " + user + " (" + answer.path("role").asText()
          + "); token kept in " + file + ", expires " + session.time(answer.path("expires").asText(null)));
    }
    return ExitCode.OK.code();
  }
}
