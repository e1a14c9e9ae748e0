package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.corral.controller.boot.CorralRuntime;
import org.corral.controller.boot.RealDrivers;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.config.CorralConfig;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.lab.QemuLab;
import org.corral.drivers.libvirt.LibvirtDriver;
import org.corral.drivers.libvirt.ReconnectBackoff;
import org.corral.model.time.SystemClock;
import org.corral.model.time.VirtualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end on the QEMU lab, with the corral.yaml the lab wrote (as `./corral up --config`
 * would read it; the API on a free port here): `vm create --wait` gives a running real guest (with
 * its user data given as a file),
 * `vm migrate --wait` to a destination that refuses ends at once with the reason (it used to wait
 * out its whole timeout), `vm migrate --wait` moves it, `vm delete --wait` leaves no domain and no
 * volume. Skipped without the lab (lab/qemu-lab up).
 */
@Tag(QemuLab.TAG)
@ExtendWith(QemuLab.Required.class)
class QemuLabCliTest {
  private static final String VM = "lab-cli";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path home;
  private static QemuLab lab;
  private static SystemClock clock;
  private static CorralRuntime corral;
  private static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    lab = QemuLab.require();
    for (int node = 1; node <= lab.uris().size(); node++) {
      lab.resetConsole(node, VM);
    }
    CorralConfig cfg = ConfigReader.parse(lab.configForTests(), lab.config().toString(), Map.of());
    clock = new SystemClock("qemu-lab-cli");
    corral = CorralRuntime.start(cfg, home, clock, d -> RealDrivers.register(d, clock));
    env = new HashMap<>();
    env.put("CORRAL_API", "http://127.0.0.1:" + corral.port());
    env.put("CORRAL_HOME", home.toString()); // the CLI finds the admin token the runtime wrote there
    env.put("TZ", "UTC");
  }

  @AfterAll
  static void stop() {
    if (corral != null) {
      Run.with(env, "vm", "delete", VM, "--wait", "--timeout", "60s");
      corral.close();
    }
    if (clock != null) {
      clock.close();
    }
  }

  @Test
  void createMigrateAndDeleteARealGuestThroughTheCli() throws Exception {
    QemuLab.await("both nodes UP in `corral host list`", Duration.ofSeconds(60)).until(() -> {
      JsonNode hosts = json("host", "list");
      return hosts.size() == lab.uris().size() && hosts.findValuesAsText("state").stream().allMatch("UP"::equals);
    });
    Path userData = home.resolve("user-data");
    Files.writeString(userData, "#cloud-config\n# corral-lab: through the CLI\n", StandardCharsets.UTF_8);

    long t0 = System.nanoTime();
    Run create = corral("vm", "create", VM, "--cpus", "1", "--memory", Long.toString(QemuLab.GUEST_MEMORY_MIB),
        "--disk", "lab-guest:1", "--user-data", userData.toString(), "--wait", "--timeout", "120s");
    assertThat(create.code()).as(create.out() + create.err()).isZero();
    long createdMs = (System.nanoTime() - t0) / 1_000_000;
    String from = json("vm", "show", VM).path("host").asText();
    System.out.printf("qemu-lab: vm create --wait %d ms%n", createdMs);
    // The guest boots meanwhile; a migration does not wait for it (the driver's and the
    // controller's lab tests follow the console: user data, ready line, heartbeat across a migration).
    String to = from.equals("node1") ? "node2" : "node1";

    // A destination that already has a domain of that name refuses the migration.
    LibvirtDriver libvirt = new LibvirtDriver(new VirtualClock(), ReconnectBackoff.DEFAULT);
    HypervisorConnection dst = QemuLab.result(libvirt.connect(uri(to)));
    try {
      QemuLab.result(dst.define(new DomainSpec(VM, "5d1e0d5e-0000-4000-8000-0000000c11ee", 1, 64, List.of(), List.of(), null)));
      long r0 = System.nanoTime();
      Run refused = corral("vm", "migrate", VM, "--to", to, "--wait", "--timeout", "120s");
      long refusedMs = (System.nanoTime() - r0) / 1_000_000;
      System.out.printf("qemu-lab: vm migrate --wait to a destination that refuses: exit %d after %d ms%n", refused.code(),
          refusedMs);
      assertThat(refused.code()).as(refused.out() + refused.err()).isNotZero();
      assertThat(refused.err()).contains("FAILED");
      assertThat(refusedMs).as("--wait ends with the failed action, not at its 120 s timeout").isLessThan(60_000);
      assertThat(json("vm", "show", VM).path("host").asText()).isEqualTo(from);
      assertThat(json("vm", "show", VM).path("state").asText()).isEqualTo("RUNNING");
    } finally {
      QemuLab.result(dst.undefine(VM, false));
      dst.close();
      libvirt.close();
    }

    long m0 = System.nanoTime();
    Run migrate = corral("vm", "migrate", VM, "--to", to, "--wait", "--timeout", "120s");
    System.out.printf("qemu-lab: vm migrate --wait %d ms%n", (System.nanoTime() - m0) / 1_000_000);
    assertThat(migrate.code()).as(migrate.out() + migrate.err()).isZero();
    assertThat(json("vm", "show", VM).path("host").asText()).isEqualTo(to);
    assertThat(json("vm", "show", VM).path("state").asText()).isEqualTo("RUNNING");

    Run delete = corral("vm", "delete", VM, "--wait", "--timeout", "120s");
    assertThat(delete.code()).as(delete.out() + delete.err()).isZero();
    assertThat(corral("vm", "show", VM).code()).as("vm show after delete").isEqualTo(3);
    for (String u : lab.uris()) {
      LibvirtDriver check = new LibvirtDriver(new VirtualClock(), ReconnectBackoff.DEFAULT);
      HypervisorConnection c = QemuLab.result(check.connect(u));
      assertThat(QemuLab.result(c.domain(VM))).as("no domain on " + u).isEmpty();
      c.close();
      check.close();
    }
    assertThat(lab.poolDir().resolve(VM + "-vda.qcow2")).doesNotExist();
    assertThat(lab.poolDir().resolve(VM + "-seed.iso")).doesNotExist();
  }

  private static String uri(String host) throws Exception {
    return json("host", "show", host).path("uri").asText();
  }

  private static Run corral(String... args) {
    return Run.with(env, args);
  }

  private static JsonNode json(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--output";
    all[args.length + 1] = "json";
    Run r = corral(all);
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }
}
