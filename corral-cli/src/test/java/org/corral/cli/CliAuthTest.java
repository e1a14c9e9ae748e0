package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import org.corral.controller.boot.CorralRuntime;
import org.corral.controller.config.ConfigReader;
import org.corral.model.time.SystemClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, tokens and quotas through the real CLI against a real Corral: the admin uses the token
 * `corral up` wrote under CORRAL_HOME by itself; a developer logs in and reaches only their own
 * VMs; denials exit 8.
 */
class CliAuthTest {
  private static final String CONFIG = """
      controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms}
      api: {listen: "127.0.0.1:0"}
      lab:
        name: auth
        stateFile: false
        latencies: {define: 0s, boot: 50ms, shutdown: 50ms, migrationBase: 50ms, powerOn: 50ms, powerOff: 50ms}
        hosts:
          - {prefix: node, count: 2, cores: 8, mhz: 2600, memoryMib: 16384}
      """;
  @TempDir
  static Path home;
  @TempDir
  static Path userHome;
  private static SystemClock clock;
  private static CorralRuntime corral;
  private static Map<String, String> admin;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    clock = new SystemClock("cli-auth");
    corral = CorralRuntime.start(ConfigReader.parse(CONFIG, "test", Map.of()), home, clock, d -> {});
    admin = Map.of("CORRAL_API", "http://127.0.0.1:" + corral.port(), "CORRAL_HOME", home.toString(), "TZ", "UTC");
  }

  @AfterAll
  static void stop() {
    corral.close();
    clock.close();
  }

  /** The environment of another person on another machine: no CORRAL_HOME, their own credentials file. */
  private static Map<String, String> elsewhere(String password) {
    Map<String, String> env = new HashMap<>();
    env.put("CORRAL_API", "http://localhost:" + corral.port());
    env.put("HOME", userHome.toString());
    env.put("TZ", "UTC");
    if (password != null) {
      env.put("CORRAL_PASSWORD", password);
    }
    return env;
  }

  @Test
  void adminCreatesADeveloperWhoLogsInAndReachesOnlyTheirOwnVms() throws Exception {
    assertThat(Run.with(admin, "vm", "create", "adm1", "--cpus", "1", "--memory", "256").code()).isZero();

    Map<String, String> withPassword = new HashMap<>(admin);
    withPassword.put("CORRAL_PASSWORD", "dana-secret-pw");
    Run created = Run.with(withPassword, "user", "create", "dana", "--role", "developer", "--group", "lab", "--password");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(Run.with(admin, "user", "set-quota", "dana", "--vms", "1").code()).isZero();
    Run users = Run.with(admin, "user", "list");
    assertThat(users.out()).containsPattern("dana\\s+developer\\s+lab\\s+1 VMs\\s+yes");

    // Without credentials: refused, exit 8, saying how to get a token.
    Map<String, String> nobody = elsewhere(null);
    Run denied = Run.with(nobody, "vm", "list");
    assertThat(denied.code()).isEqualTo(8);
    assertThat(denied.err()).contains("corral login");

    Run wrong = Run.with(elsewhere("not-her-password"), "login", "dana");
    assertThat(wrong.code()).isEqualTo(8);
    Run login = Run.with(elsewhere("dana-secret-pw"), "login", "dana");
    assertThat(login.code()).as(login.err()).isZero();
    assertThat(login.out()).contains("as dana (developer)").doesNotContain("corral_");
    Path credentials = userHome.resolve(".config/corral/credentials.json");
    assertThat(Files.getPosixFilePermissions(credentials))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    Map<String, String> dana = elsewhere(null);
    assertThat(Run.with(dana, "vm", "create", "dana1", "--cpus", "1", "--memory", "256").code()).isZero();
    Run over = Run.with(dana, "vm", "create", "dana2", "--cpus", "1", "--memory", "256");
    assertThat(over.code()).isEqualTo(4);
    assertThat(over.err()).contains("quota exceeded").contains("may hold 1 vms").contains("corral user set-quota dana --vms 2");
    Run list = Run.with(dana, "vm", "list");
    assertThat(list.out()).contains("dana1").doesNotContain("adm1");
    assertThat(Run.with(dana, "vm", "show", "adm1").code()).as("another user's VM is not found").isEqualTo(3);
    assertThat(Run.with(dana, "vm", "delete", "adm1").code()).isEqualTo(3);
    Run hosts = Run.with(dana, "host", "list");
    assertThat(hosts.code()).isEqualTo(8);
    assertThat(hosts.err()).contains("for administrators");
    Run quota = Run.with(dana, "quota", "show");
    assertThat(quota.code()).isZero();
    assertThat(quota.out()).containsPattern("user\\s+dana\\s+1/1").containsPattern("group\\s+lab\\s+1/-");

    // A token for a script: printed once, then only its id; revoked, it stops working.
    Run token = Run.with(dana, "token", "create", "--description", "ci", "--expires", "1d");
    assertThat(token.code()).as(token.err()).isZero();
    String text = token.out().strip();
    assertThat(text).startsWith("corral_");
    String id = text.substring("corral_".length(), "corral_".length() + 12);
    Run tokens = Run.with(dana, "token", "list");
    assertThat(tokens.out()).contains(id).contains("ci").doesNotContain(text.substring(20));
    Map<String, String> script = new HashMap<>(elsewhere(null));
    script.put("CORRAL_TOKEN", text);
    script.put("HOME", home.resolve("nowhere").toString());
    assertThat(Run.with(script, "vm", "list").code()).isZero();
    assertThat(Run.with(dana, "token", "revoke", id).code()).isZero();
    assertThat(Run.with(script, "vm", "list").code()).isEqualTo(8);

    // The admin sees everything, and cannot delete a user who still owns VMs.
    JsonNode all = JSON.readTree(Run.with(admin, "vm", "list", "-o", "json").out());
    assertThat(all.findValuesAsText("name")).contains("adm1", "dana1");
    assertThat(Run.with(admin, "user", "delete", "dana").code()).isEqualTo(4);
    Run events = Run.with(admin, "events", "--subject", "dana");
    assertThat(events.out()).contains("LOGIN_FAILED").doesNotContain("not-her-password").doesNotContain("dana-secret-pw");
  }

  @Test
  void accessKeysAreShownOnceListedWithoutSecretsAndDeleted() {
    assertThat(Run.with(admin, "user", "create", "erin").code()).isZero();
    Run created = Run.with(admin, "keys", "create", "--user", "erin", "--description", "aws-cli");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).containsPattern("export AWS_ACCESS_KEY_ID=CKIA[A-Z2-7]{16}\\n")
        .containsPattern("export AWS_SECRET_ACCESS_KEY=\\S{40}\\n");
    String id = created.out().lines().findFirst().orElseThrow().substring("export AWS_ACCESS_KEY_ID=".length());
    String secret = created.out().lines().skip(1).findFirst().orElseThrow().substring("export AWS_SECRET_ACCESS_KEY=".length());
    Run list = Run.with(admin, "keys", "list", "--user", "erin");
    assertThat(list.out()).contains(id).contains("aws-cli").doesNotContain(secret);
    assertThat(Run.with(admin, "keys", "delete", id).code()).isZero();
    assertThat(Run.with(admin, "keys", "list", "--user", "erin").out()).doesNotContain(id);
    assertThat(Run.with(admin, "keys", "delete", id).code()).as("gone").isEqualTo(3);
  }
}
