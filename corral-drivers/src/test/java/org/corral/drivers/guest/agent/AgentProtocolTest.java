package org.corral.drivers.guest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.corral.drivers.DriverException;
import org.corral.drivers.guest.ExecResult;
import org.junit.jupiter.api.Test;

/** Requests and replies of the guest agent's exec protocol, as qemu-ga sends them. */
class AgentProtocolTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void execRequestPassesArgvWithoutAShell() throws Exception {
    JsonNode r = JSON.readTree(AgentProtocol.execRequest(List.of("/bin/sh", "-c", "echo \"$HOME\"; rm -rf /'")));
    assertThat(r.path("execute").asText()).isEqualTo("guest-exec");
    assertThat(r.at("/arguments/path").asText()).isEqualTo("/bin/sh");
    assertThat(r.at("/arguments/arg")).hasSize(2);
    assertThat(r.at("/arguments/arg/1").asText()).isEqualTo("echo \"$HOME\"; rm -rf /'");
    assertThat(r.at("/arguments/capture-output").asBoolean()).isTrue();
  }

  @Test
  void statusRequestCarriesThePid() throws Exception {
    JsonNode r = JSON.readTree(AgentProtocol.statusRequest(4242));
    assertThat(r.path("execute").asText()).isEqualTo("guest-exec-status");
    assertThat(r.at("/arguments/pid").asLong()).isEqualTo(4242);
  }

  @Test
  void pidIsReadFromTheReturn() {
    assertThat(AgentProtocol.pid("{\"return\": {\"pid\": 1234}}")).isEqualTo(1234);
  }

  @Test
  void runningProcessHasNoResultYet() {
    assertThat(AgentProtocol.status("{\"return\": {\"exited\": false}}")).isEmpty();
  }

  @Test
  void exitedProcessGivesCodeAndDecodedOutput() {
    String reply = "{\"return\": {\"exitcode\": 3, \"out-data\": \"aGVsbG8gd8O2cmxkCg==\", \"err-data\": \"b29wcw==\","
        + " \"exited\": true}}";
    assertThat(AgentProtocol.status(reply)).contains(new ExecResult(3, "hello wörld\n", "oops"));
  }

  @Test
  void noOutputIsEmptyStringsAndSignalIs128Plus() {
    assertThat(AgentProtocol.status("{\"return\": {\"exited\": true, \"exitcode\": 0}}")).contains(new ExecResult(0, "", ""));
    assertThat(AgentProtocol.status("{\"return\": {\"exited\": true, \"signal\": 9}}").orElseThrow().exitCode()).isEqualTo(137);
  }

  @Test
  void agentErrorIsRejectedWithItsDescription() {
    assertThatThrownBy(() -> AgentProtocol.pid("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to execute child"
        + " process /nope (No such file or directory)\"}}"))
        .isInstanceOfSatisfying(DriverException.class, e -> {
          assertThat(e.kind()).isEqualTo(DriverException.Kind.REJECTED);
          assertThat(e.getMessage()).contains("GenericError").contains("/nope");
        });
  }

  @Test
  void garbageRepliesAreTransientErrors() {
    for (String bad : List.of("not json", "[1,2]", "{}", "{\"return\": {}}")) {
      assertThatThrownBy(() -> AgentProtocol.pid(bad)).as(bad).isInstanceOfSatisfying(DriverException.class,
          e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.TRANSIENT));
    }
    assertThatThrownBy(() -> AgentProtocol.status("{\"return\": {\"exited\": true, \"exitcode\": 0, \"out-data\": \"***\"}}"))
        .isInstanceOf(DriverException.class).hasMessageContaining("base64");
  }
}
