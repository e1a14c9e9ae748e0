package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corral up} resolves its settings and hands them to the launcher it was given. */
class UpCommandTest {
  record Launch(Path config, Path home, String listen, String database) {}

  private final List<Launch> launches = new ArrayList<>();
  private final AutoAdvancingClock clock = new AutoAdvancingClock();

  private Run up(ServerLauncher launcher, Map<String, String> env, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "up";
    System.arraycopy(args, 0, all, 1, args.length);
    return Run.with(new Main(launcher), clock, env, all);
  }

  private ServerLauncher recording(int exit) {
    return (config, home, listen, db) -> {
      launches.add(new Launch(config, home, listen, db));
      return exit;
    };
  }

  @Test
  void defaultsAreTheBuiltInLabUnderVarOnLocalhost() {
    Run r = up(recording(0), Map.of());

    assertThat(r.code()).as(r.err()).isZero();
    // The tests run in corral-cli/, which has no corral.yaml.
    assertThat(launches).as("no --listen: the server resolves $CORRAL_LISTEN, then api.listen, then 127.0.0.1:7070")
        .containsExactly(new Launch(null, Path.of("var"), null, null));
  }

  @Test
  void optionsAndCorralHomeAreHandedOver(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("corral.yaml"), "lab: sim://\n");
    Map<String, String> env = new HashMap<>();
    env.put("CORRAL_HOME", dir.resolve("home").toString());

    Run fromEnv = up(recording(0), env, "--config", config.toString());
    Run explicit = up(recording(3), env, "--home", "/srv/corral", "--listen", "0.0.0.0:8080",
        "--database", "jdbc:postgresql://db/corral");

    assertThat(fromEnv.code()).isZero();
    assertThat(explicit.code()).as("the launcher's exit status is the command's").isEqualTo(3);
    assertThat(launches).containsExactly(
        new Launch(config, dir.resolve("home"), null, null),
        new Launch(null, Path.of("/srv/corral"), "0.0.0.0:8080", "jdbc:postgresql://db/corral"));
  }

  @Test
  void badSettingsAreUsageErrorsAndNothingStarts(@TempDir Path dir) {
    Run missingConfig = up(recording(0), Map.of(), "--config", dir.resolve("absent.yaml").toString());
    Run badListen = up(recording(0), Map.of(), "--listen", "7070");
    Run badPort = up(recording(0), Map.of(), "--listen", "localhost:70000");
    Run badDb = up(recording(0), Map.of(), "--database", "postgres://db");

    assertThat(List.of(missingConfig.code(), badListen.code(), badPort.code(), badDb.code())).containsOnly(2);
    assertThat(missingConfig.err()).startsWith("error: --config: no file '");
    assertThat(badListen.err()).startsWith("error: --listen: '7070' is not HOST:PORT");
    assertThat(badDb.err()).startsWith("error: --database: 'postgres://db' is not a JDBC URL");
    assertThat(launches).isEmpty();
  }

  @Test
  void aBadConfigurationFromTheControllerIsExit5WithItsField() {
    ServerLauncher rejecting = (config, home, listen, db) -> {
      throw new InvalidInputException("hosts[1].uri", "'ftp://x' is not a libvirt URI", "use e.g. qemu+ssh://root@node1/system");
    };

    Run r = up(rejecting, Map.of());

    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).isEqualTo("""
        error: hosts[1].uri: 'ftp://x' is not a libvirt URI; use e.g. qemu+ssh://root@node1/system
          field: hosts[1].uri
        """);
  }

}
