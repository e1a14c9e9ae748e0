package org.corral.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.corral.model.InvalidInputException;
import org.corral.model.vm.PlacementPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** corral.yaml: the built-in lab, a full file, and every kind of mistake named by its field path. */
class ConfigReaderTest {
  private static final String SOURCE = "test.yaml";

  private static CorralConfig parse(String yaml) {
    return ConfigReader.parse(yaml, SOURCE, Map.of());
  }

  @Test
  void theLabsLeaseTimeAndSoftFencingAreRead() {
    CorralConfig c = parse("lab: {hosts: [{prefix: n, count: 2}], leaseTime: 20s, softFencing: true}");
    assertThat(c.lab()).isNotNull();
    assertThat(c.lab().leaseTime()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.lab().softFencing()).isTrue();
    CorralConfig d = parse("lab: {hosts: [{prefix: n, count: 2}]}");
    assertThat(d.lab().leaseTime()).as("the simulator's default").isNull();
    assertThat(d.lab().softFencing()).isFalse();
  }

  @Test
  void builtInLabHasSixteenHostsInThreeGroupsANetworkAndASharedImage() {
    CorralConfig c = ConfigReader.builtInLab();
    assertThat(c.lab()).isNotNull();
    assertThat(c.lab().groups()).extracting(CorralConfig.LabHostGroup::prefix).containsExactly("small", "node", "big");
    assertThat(c.lab().groups().stream().mapToInt(CorralConfig.LabHostGroup::count).sum()).isEqualTo(16);
    assertThat(c.lab().groups().get(2).labels()).containsEntry("gpu", "no");
    assertThat(c.lab().latencies().powerOn()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.lab().latencies().migrationBase()).as("unset latencies keep the simulator's default").isNull();
    assertThat(c.networks()).singleElement().satisfies(n -> {
      assertThat(n.name()).isEqualTo("default");
      assertThat(n.cidr()).isEqualTo("192.168.100.0/24");
    });
    assertThat(c.images()).singleElement().satisfies(i -> assertThat(i.shared()).isTrue());
    assertThat(c.listen()).isEqualTo("127.0.0.1:7070");
    assertThat(c.store().url()).as("no url: embedded H2 under the home").isNull();
    assertThat(c.controller().scheduler().defaultPolicy()).isEqualTo(PlacementPolicy.PACKING);
    assertThat(c.controller().executor().cpuOvercommit()).as("the scheduler's overcommit reaches the executor").isEqualTo(2.0);
  }

  @Test
  void theExampleConfigurationIsValid() {
    // Tests run in corral-controller/; the example documents every field, the api section's too.
    CorralConfig c = ConfigReader.read(java.nio.file.Path.of("../examples/corral.yaml"), Map.of("CORRAL_DB_PASSWORD", "pw"));
    assertThat(c.api().readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.api().serverNames()).isEmpty();
    assertThat(c.api().metrics()).isEqualTo(org.corral.controller.api.ApiSettings.MetricsAccess.LOOPBACK);
    assertThat(c.api().tls()).isNull();
    assertThat(c.hosts()).hasSize(2);
    assertThat(c.ec2()).isEqualTo(new org.corral.controller.ec2.Ec2Settings("127.0.0.1:8773", "corral-1", true, List.of(
        new org.corral.controller.ec2.Flavour("t2.micro", 1, 1024), new org.corral.controller.ec2.Flavour("t2.medium", 2, 4096),
        new org.corral.controller.ec2.Flavour("m5.large", 2, 8192)), null));
  }

  @Test
  void theEc2SectionIsOptionalAndCanTurnTheListenerOff() {
    assertThat(ConfigReader.parse("{}", SOURCE, Map.of()).ec2()).isEqualTo(org.corral.controller.ec2.Ec2Settings.DEFAULT);
    assertThat(ConfigReader.parse("ec2: {listen: \"off\"}", SOURCE, Map.of()).ec2().listen()).isNull();
    assertThat(ConfigReader.parse("ec2: {listen: 0.0.0.0:9773, region: lab-2}", SOURCE, Map.of()).ec2())
        .isEqualTo(new org.corral.controller.ec2.Ec2Settings("0.0.0.0:9773", "lab-2", true));
    assertThatThrownBy(() -> ConfigReader.parse("ec2: {listen: 8773}", SOURCE, Map.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ec2.listen"));
    assertThatThrownBy(() -> ConfigReader.parse("ec2: {region: Not_A_Region}", SOURCE, Map.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ec2.region"));
    assertThatThrownBy(() -> ConfigReader.parse("ec2: {port: 8773}", SOURCE, Map.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("port");
  }

  /** The lab's corral.yaml: direct kernel boot for its image, and libvirt's unsafe flag for its same-path pool. */
  @Test
  void directKernelBootAndTheUnsafeMigrationFlagAreRead() {
    CorralConfig c = ConfigReader.parse("""
        executor: {migrationUnsafe: true}
        images:
          - {name: lab-guest, pool: lab, volume: base.qcow2, sizeGib: 1, shared: true,
             kernel: /var/cache/corral-lab/vmlinuz, initrd: /var/cache/corral-lab/initrd.gz, cmdline: console=ttyS0 panic=-1}
        """, SOURCE, Map.of());
    assertThat(c.controller().executor().migration().unsafe()).isTrue();
    assertThat(c.images().get(0).kernel()).isEqualTo("/var/cache/corral-lab/vmlinuz");
    assertThat(c.images().get(0).initrd()).isEqualTo("/var/cache/corral-lab/initrd.gz");
    assertThat(c.images().get(0).cmdline()).isEqualTo("console=ttyS0 panic=-1");
    assertThat(ConfigReader.parse("executor: {}", SOURCE, Map.of()).controller().executor().migration().unsafe())
        .as("never by default").isFalse();
  }

  @Test
  void metricsAccessAndTlsAreReadAndCheckedNamingTheField() {
    CorralConfig c = ConfigReader.parse("api: {metrics: token, tls: {certificate: /etc/c.crt, key: /etc/c.key}}", "t", Map.of());
    assertThat(c.api().metrics()).isEqualTo(org.corral.controller.api.ApiSettings.MetricsAccess.TOKEN);
    assertThat(c.api().tls()).isEqualTo(new org.corral.controller.api.ApiSettings.Tls(java.nio.file.Path.of("/etc/c.crt"),
        java.nio.file.Path.of("/etc/c.key")));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigReader.parse("api: {metrics: open}", "t", Map.of()))
        .hasMessageContaining("api.metrics").hasMessageContaining("loopback");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigReader.parse("api: {tls: {certificate: /etc/c.crt}}", "t", Map.of()))
        .hasMessageContaining("api.tls").hasMessageContaining("key");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigReader.parse("api: {tls: {cert: /etc/c.crt}}", "t", Map.of()))
        .hasMessageContaining("api.tls");
  }

  @Test
  void guestHeartbeatsAreOffUnlessGivenAndTakeDefaultsForWhatIsLeftOut() {
    assertThat(ConfigReader.parse("controller: {seed: 1}", SOURCE, Map.of()).controller().guardian().heartbeat())
        .isEqualTo(org.corral.policy.recovery.GuestHeartbeat.OFF);
    assertThat(ConfigReader.parse("guardian: {heartbeat: {}}", SOURCE, Map.of()).controller().guardian().heartbeat())
        .isEqualTo(new org.corral.policy.recovery.GuestHeartbeat(Duration.ofSeconds(10), 3));
    assertThat(ConfigReader.parse("guardian: {heartbeat: {interval: 5s, missed: 4}}", SOURCE, Map.of()).controller().guardian()
        .heartbeat().window()).isEqualTo(Duration.ofSeconds(20));
    assertThat(ConfigReader.builtInLab().controller().guardian().heartbeat().on()).as("the built-in lab shows them").isTrue();
  }

  @Test
  void spareReturnIsOnUnlessTurnedOff() {
    assertThat(ConfigReader.parse("controller: {seed: 1}", SOURCE, Map.of()).controller().guardian().spareReturn()).isTrue();
    assertThat(ConfigReader.parse("guardian: {spareReturn: false}", SOURCE, Map.of()).controller().guardian().spareReturn()).isFalse();
    assertThat(ConfigReader.parse("guardian: {spareReturn: true}", SOURCE, Map.of()).controller().guardian().spareReturn()).isTrue();
  }

  @Test
  void fullFileIsReadWithDefaultsForWhatItLeavesOut() {
    CorralConfig c = ConfigReader.parse("""
        controller: {seed: 7, monitorPeriod: 500ms, schedulerPeriod: 2m}
        guardian: {beat: 250ms, suspectAfter: 2, downAfter: 8, crashRestarts: {max: 5, window: 1h}, softFencing: {grace: 30s},
                   services: {failuresPerStep: 2, checkInterval: 30s, flapping: {restarts: 4, pause: 5m}}}
        api: {listen: "0.0.0.0:9000"}
        store: {url: "jdbc:postgresql://db1:5432/corral", user: corral, passwordEnv: CORRAL_DB_PASSWORD}
        scheduler: {policy: power-aware, cpuOvercommit: 4}
        executor: {maxPerHost: 2, actionTimeout: 1h}
        hosts:
          - name: kvm1
            uri: qemu+ssh://root@kvm1/system
            capacity: {cores: 16, mhzPerCore: 2600, memoryMib: 65536}
            labels: {zone: a}
            power: {on: "ipmi://admin@kvm1-bmc", off: "ipmi://admin@kvm1-bmc", soft: "ssh://root@kvm1"}
            lockManager: sanlock
            leaseDir: /var/lib/libvirt/sanlock
            powerModel: {idleWatts: 90, maxWatts: 250}
          - {name: kvm2, uri: "qemu+ssh://root@kvm2/system"}
        """, SOURCE, Map.of("CORRAL_DB_PASSWORD", "s3cret"));
    assertThat(c.controller().seed()).isEqualTo(7);
    assertThat(c.controller().monitorPeriod()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.controller().schedulerPeriod()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.controller().guardian().downAfter()).isEqualTo(8);
    assertThat(c.controller().guardian().suspectAfter()).isEqualTo(2);
    assertThat(c.controller().beat()).as("the beat, shorter than the Monitor period").isEqualTo(Duration.ofMillis(250));
    assertThat(c.controller().guardian().crashRestarts())
        .isEqualTo(new org.corral.policy.recovery.CrashRestarts(5, Duration.ofHours(1), Duration.ofSeconds(10)));
    assertThat(c.controller().guardian().services()).isEqualTo(new org.corral.controller.ServiceSettings(
        new org.corral.policy.service.ServiceEscalation(2, 4, Duration.ofMinutes(1), Duration.ofMinutes(5)), Duration.ofSeconds(30),
        Duration.ofSeconds(10)));
    assertThat(c.controller().guardian().softFencing())
        .isEqualTo(new org.corral.policy.recovery.Recovery.SoftFencing(Duration.ofSeconds(10), Duration.ofSeconds(30)));
    assertThat(c.hosts().get(0).power().soft()).isEqualTo("ssh://root@kvm1");
    assertThat(c.hosts().get(0).lockManager()).isEqualTo(new org.corral.model.host.LockManager(
        org.corral.model.host.LockManager.Kind.SANLOCK, "/var/lib/libvirt/sanlock"));
    assertThat(c.hosts().get(1).lockManager()).isEqualTo(org.corral.model.host.LockManager.NONE);
    assertThat(c.controller().utilisationWindow()).isEqualTo(10);
    assertThat(c.listen()).isEqualTo("0.0.0.0:9000");
    assertThat(c.store().password()).isEqualTo("s3cret");
    assertThat(c.store().toString()).as("the password never shows in logs").doesNotContain("s3cret");
    assertThat(c.controller().scheduler().defaultPolicy()).isEqualTo(PlacementPolicy.POWER_AWARE);
    assertThat(c.controller().executor().maxPerHost()).isEqualTo(2);
    assertThat(c.controller().executor().actionTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.lab()).isNull();
    assertThat(c.hosts()).hasSize(2);
    assertThat(c.hosts().get(0).capacity().memoryMib()).isEqualTo(65536);
    assertThat(c.hosts().get(0).labels()).containsEntry("zone", "a");
    assertThat(c.hosts().get(1).capacity()).as("no capacity: asked from the hypervisor").isNull();
  }

  @Test
  void passwordFileIsReadAndStripped(@TempDir Path dir) throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "hunter2\n");
    CorralConfig c = parse("store: {url: 'jdbc:postgresql://db/corral', passwordFile: '" + pw + "'}");
    assertThat(c.store().password()).isEqualTo("hunter2");
  }

  @Test
  void malformedYamlSaysWhereWithLineAndColumn() {
    assertThatThrownBy(() -> parse("controller:\n  seed: 1\n   monitorPeriod: [2s\n"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(SOURCE))
        .hasMessageContaining("is not valid YAML at line 3, column ");
  }

  @Test
  void unreadableFileNamesTheConfigOption(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigReader.read(dir.resolve("missing.yaml"), Map.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("--config"));
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("unknown top-level key", "schedular: {policy: packing}", "schedular", "known fields here"),
        Arguments.of("max watts below idle", "hosts: [{name: n1, uri: \"test:///default\", powerModel: {idleWatts: 200, maxWatts: 100}}]",
            "hosts[0].powerModel.maxWatts", "below idleWatts"),
        Arguments.of("a power table of the wrong length", "hosts: [{name: n1, uri: \"test:///default\", powerModel: {watts: [1, 2]}}]",
            "hosts[0].powerModel.watts", "11 values"),
        Arguments.of("unknown key in a host", """
            hosts:
              - {name: a, uri: "sim://lab/a"}
              - {name: b, uri: "sim://lab/b", powr: {on: x}}
            """, "hosts[1].powr", "power"),
        Arguments.of("unknown key in a lab group", "lab: {hosts: [{prefix: n, cuont: 2}]}", "lab.hosts[0].cuont", "count"),
        Arguments.of("text where a number belongs", "guardian: {downAfter: three}", "guardian.downAfter", "whole number"),
        Arguments.of("number out of range", "guardian: {suspectAfter: 0}", "guardian.suspectAfter", "at least 1"),
        Arguments.of("DOWN before SUSPECT", "guardian: {suspectAfter: 4, downAfter: 2}", "guardian.downAfter", "at least guardian.suspectAfter"),
        Arguments.of("a beat of zero", "guardian: {beat: 0s}", "guardian.beat", "positive"),
        Arguments.of("unknown guardian key", "guardian: {beats: 1s}", "guardian.beats", "suspectAfter"),
        Arguments.of("no crash restarts", "guardian: {crashRestarts: {max: 0}}", "guardian.crashRestarts.max", "at least 1"),
        Arguments.of("a heartbeat of zero", "guardian: {heartbeat: {interval: 0s}}", "guardian.heartbeat.interval", "positive"),
        Arguments.of("no missed heartbeat", "guardian: {heartbeat: {missed: 0}}", "guardian.heartbeat.missed", "at least 1"),
        Arguments.of("unknown heartbeat key", "guardian: {heartbeat: {every: 10s}}", "guardian.heartbeat.every", "interval"),
        Arguments.of("spare return as a word", "guardian: {spareReturn: later}", "guardian.spareReturn", "must be true or false"),
        Arguments.of("spare return as a number", "guardian: {spareReturn: 1}", "guardian.spareReturn", "must be true or false"),
        Arguments.of("crash window of zero", "guardian: {crashRestarts: {window: 0s}}", "guardian.crashRestarts.window", "positive"),
        Arguments.of("no failed checks per step", "guardian: {services: {failuresPerStep: 0}}", "guardian.services.failuresPerStep",
            "at least 1"),
        Arguments.of("flapping after one restart", "guardian: {services: {flapping: {restarts: 1}}}",
            "guardian.services.flapping.restarts", "at least 2"),
        Arguments.of("flapping window of zero", "guardian: {services: {flapping: {within: 0s}}}", "guardian.services.flapping.within",
            "positive"),
        Arguments.of("checks every 100 ms", "guardian: {services: {checkInterval: 100ms}}", "guardian.services.checkInterval",
            "at least 1s"),
        Arguments.of("check timeout of zero", "guardian: {services: {timeout: 0s}}", "guardian.services.timeout", "positive"),
        Arguments.of("unknown services key", "guardian: {services: {interval: 5s}}", "guardian.services.interval", "checkInterval"),
        Arguments.of("sanlock without a lease directory", "hosts: [{name: kvm1, uri: 'test:///a', lockManager: sanlock}]",
            "hosts[0].leaseDir", "is missing"),
        Arguments.of("an unknown lock manager", "hosts: [{name: kvm1, uri: 'test:///a', lockManager: flock}]",
            "hosts[0].lockManager", "use sanlock, lockd or none"),
        Arguments.of("no soft fencing grace", "guardian: {softFencing: {grace: 0s}}", "guardian.softFencing.grace", "positive"),
        Arguments.of("soft fencing misspelt", "guardian: {softFencing: {graze: 5s}}", "guardian.softFencing.graze", "known fields here: grace, timeout"),
        Arguments.of("the old setting", "controller: {downAfterPolls: 3}", "controller.downAfterPolls", "guardian.downAfter"),
        Arguments.of("bad duration", "controller: {monitorPeriod: 5 parsecs}", "controller.monitorPeriod", "not a duration"),
        Arguments.of("bad executor duration", "executor: {actionTimeout: soon}", "executor.actionTimeout", "not a duration"),
        Arguments.of("bad CIDR", "networks: [{name: n1, bridge: br0, cidr: 10.0.0.0/33}]", "networks[0].cidr", "/33"),
        Arguments.of("CIDR without prefix", "networks: [{name: n1, bridge: br0, cidr: 10.0.0.0}]", "networks[0].cidr",
            "not a CIDR"),
        Arguments.of("gateway outside the subnet",
            "networks: [{name: n1, bridge: br0, cidr: 10.0.0.0/24, gateway: 10.0.1.1}]", "networks[0].gateway", "outside"),
        Arguments.of("network without bridge", "networks: [{name: n1, cidr: 10.0.0.0/24}]", "networks[0].bridge", "missing"),
        Arguments.of("lab group of zero hosts", "lab: {hosts: [{prefix: n, count: 0}]}", "lab.hosts[0].count", "between 1"),
        Arguments.of("lab without hosts", "lab: {name: x}", "lab.hosts", "empty"),
        Arguments.of("lab lease time zero", "lab: {hosts: [{prefix: n}], leaseTime: 0s}", "lab.leaseTime", "positive"),
        Arguments.of("lab host memory zero", "lab: {hosts: [{prefix: n, memoryMib: 0}]}", "lab.hosts[0].memoryMib",
            "must be from 1"),
        Arguments.of("lab host speed zero", "lab: {hosts: [{prefix: n, mhz: 0}]}", "lab.hosts[0].mhz", "must be from 1"),
        Arguments.of("lab power line upside down", "lab: {hosts: [{prefix: n, idleWatts: 300, maxWatts: 200}]}",
            "lab.hosts[0].maxWatts", "below"),
        Arguments.of("lab name not a name", "lab: {name: 'Bad Name', hosts: [{prefix: n}]}", "lab.name", "not a valid name"),
        Arguments.of("lab copy rate zero", "lab: {hosts: [{prefix: n}], latencies: {migrationMibPerSecond: 0}}",
            "lab.latencies.migrationMibPerSecond", "positive"),
        Arguments.of("listen without port", "api: {listen: localhost}", "api.listen", "host:port"),
        Arguments.of("listen on a port that cannot exist", "api: {listen: '127.0.0.1:99999'}", "api.listen", "above 65535"),
        Arguments.of("store url not JDBC", "store: {url: 'postgres://db/corral'}", "store.url", "JDBC"),
        Arguments.of("password variable unset", "store: {url: 'jdbc:postgresql://db/corral', passwordEnv: NOPE_PW}",
            "store.passwordEnv", "NOPE_PW is not set"),
        Arguments.of("both password sources",
            "store: {url: 'jdbc:postgresql://db/corral', passwordEnv: PW, passwordFile: /etc/pw}", "store.passwordEnv",
            "passwordFile"),
        Arguments.of("unknown policy", "scheduler: {policy: random}", "scheduler.policy", "not a policy"),
        Arguments.of("custom as default policy", "scheduler: {policy: custom}", "scheduler.policy", "rank"),
        Arguments.of("overcommit out of range", "scheduler: {cpuOvercommit: 0}", "scheduler.cpuOvercommit", "(0, 64]"),
        Arguments.of("executor limit zero", "executor: {maxPerHost: 0}", "executor.maxPerHost", "at least 1"),
        Arguments.of("whole number too big for its field", "executor: {maxConcurrent: 4294967297}", "executor.maxConcurrent",
            "whole number"),
        Arguments.of("host without uri", "hosts: [{name: kvm1}]", "hosts[0].uri", "missing"),
        Arguments.of("kernel not an absolute path",
            "images: [{name: i1, pool: p, volume: v, sizeGib: 1, kernel: boot/vmlinuz}]", "images[0].kernel", "absolute"),
        Arguments.of("initrd without a kernel",
            "images: [{name: i1, pool: p, volume: v, sizeGib: 1, initrd: /boot/initrd.gz}]", "images[0].initrd", "kernel"),
        Arguments.of("host with a bad name", "hosts: [{name: 'kvm 1', uri: 'test:///default'}]", "hosts[0].name",
            "not a valid name"),
        Arguments.of("host capacity of zero cores",
            "hosts: [{name: kvm1, uri: 'test:///default', capacity: {cores: 0, mhzPerCore: 2600, memoryMib: 1024}}]",
            "hosts[0].capacity.cores", "must be from 1"),
        Arguments.of("host listed twice", "hosts: [{name: kvm1, uri: 'test:///a'}, {name: kvm1, uri: 'test:///b'}]",
            "hosts[1].name", "twice"),
        Arguments.of("hosts not a list", "hosts: {name: kvm1}", "hosts", "list"),
        Arguments.of("image size not a number", "images: [{name: i1, pool: p, volume: v, format: qcow2, sizeGib: big}]",
            "images[0].sizeGib", "whole number"),
        Arguments.of("a password in the store URL", "store: {url: 'jdbc:postgresql://corral:secretpw@db/corral'}", "store.url",
            "passwordFile"),
        Arguments.of("a password parameter in the store URL", "store: {url: 'jdbc:postgresql://db/corral?password=secretpw'}",
            "store.url", "does not store secrets"),
        Arguments.of("a password in a host URI", "hosts: [{name: kvm1, uri: 'qemu+ssh://root:secretpw@kvm1/system'}]",
            "hosts[0].uri", "SSH key"),
        Arguments.of("a password in a power URI", "hosts: [{name: kvm1, uri: 'test:///a', power: {off: 'ipmi://a@b?password=secretpw'}}]",
            "hosts[0].power.off", "passwordEnv"),
        Arguments.of("a host label too long", "hosts: [{name: kvm1, uri: 'test:///a', labels: {rack: " + "r".repeat(64) + "}}]",
            "hosts[0].labels.rack", "63 characters"),
        Arguments.of("an origin with a path", "api: {allowedOrigins: ['https://dash.example/app']}", "api.allowedOrigins[0]",
            "not an origin"),
        Arguments.of("a server name with a port", "api: {serverNames: ['corral.example:7070']}", "api.serverNames[0]",
            "without port"),
        Arguments.of("a read timeout of zero", "api: {readTimeout: 0s}", "api.readTimeout", "positive"),
        Arguments.of("key given twice", "controller: {seed: 1}\ncontroller: {seed: 2}\n", SOURCE, "Duplicate field 'controller'"),
        Arguments.of("top level not a mapping", "- a\n- b\n", "(top level)", "mapping"),
        Arguments.of("optimizer automation unknown", "optimizer: {automation: sometimes}", "optimizer.automation", "partial"),
        Arguments.of("optimizer detector unknown", "optimizer: {detector: magic-1}", "optimizer.detector", "lr-1.2"),
        Arguments.of("optimizer selection unknown", "optimizer: {selection: fastest}", "optimizer.selection", "mmt"),
        Arguments.of("optimizer thresholds crossed", "optimizer: {lower: 0.9, upper: 0.8}", "optimizer.lower", "lower < upper"),
        Arguments.of("optimizer preset unknown", "optimizer: {preset: greenest}", "optimizer.preset", "enersis"),
        Arguments.of("optimizer key unknown", "optimizer: {treshold: 0.8}", "optimizer.treshold", ""),
        Arguments.of("optimizer group level unknown", "optimizer: {groups: [{labels: {rack: r1}, automation: maybe}]}",
            "optimizer.groups[0].automation", "full"),
        Arguments.of("optimizer group without labels", "optimizer: {groups: [{automation: full}]}", "optimizer.groups[0].labels",
            "is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void everyMistakeNamesItsFieldPath(String what, String yaml, String field, String says) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field))
        .hasMessageStartingWith(field + ": ")
        .hasMessageContaining(says)
        .satisfies(e -> assertThat(e.getMessage()).as("a planted secret is never repeated").doesNotContain("secretpw"));
  }

  @Test
  void theOptimizerSectionStartsFromAPresetAndOverridesWhatItNames() {
    var o = parse("optimizer: {automation: full, preset: enersis, reserveHosts: 2}\n").controller().optimizer();
    assertThat(o.automation()).isEqualTo(org.corral.controller.OptimizerSettings.Automation.FULL);
    assertThat(o.period()).as("the energy study's 10 s cycle").isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(o.consolidation().detector().name()).isEqualTo("thr-0.8");
    assertThat(o.consolidation().selector().name()).isEqualTo("second-most-loaded");
    assertThat(o.consolidation().lower()).isEqualTo(0.1);
    assertThat(o.consolidation().reserveHosts()).isEqualTo(2);
    var h = parse("optimizer: {preset: herd, maxMigrations: 50}\n").controller().optimizer().consolidation();
    assertThat(h.rules()).as("Corral's own policy keeps its rules").isEqualTo(
        org.corral.policy.consolidation.ConsolidationSettings.Rules.HERD);
    assertThat(h.detector().name()).isEqualTo("lr-1.05");
    assertThat(h.maxMigrations()).isEqualTo(50);
    var d = parse("optimizer: {detector: iqr-1.5}\n").controller().optimizer();
    assertThat(d.automation()).as("recommend unless told").isEqualTo(org.corral.controller.OptimizerSettings.Automation.RECOMMEND);
    assertThat(d.consolidation().detector().name()).isEqualTo("iqr-1.5");
    assertThat(d.consolidation().selector().name()).isEqualTo("mmt");
    var g = parse("optimizer: {groups: [{labels: {rack: r2}, automation: partial}]}\n").controller().optimizer();
    assertThat(g.groups()).singleElement().satisfies(grp -> {
      assertThat(grp.labels()).containsEntry("rack", "r2");
      assertThat(grp.automation()).isEqualTo(org.corral.controller.OptimizerSettings.Automation.PARTIAL);
    });
  }

  @Test
  void aBareOffIsTheAutomationLevelNotABoolean() {
    // YAML 1.1 reads `off` as false; the documented spelling must work as written.
    assertThat(parse("optimizer: {automation: off}\n").controller().optimizer().automation())
        .isEqualTo(org.corral.controller.OptimizerSettings.Automation.OFF);
    assertThat(parse("optimizer: {automation: \"off\"}\n").controller().optimizer().automation())
        .isEqualTo(org.corral.controller.OptimizerSettings.Automation.OFF);
  }

  @Test
  void storeUrlMemoryIsTheInMemoryStore() {
    assertThat(parse("store: {url: \"memory:\"}\n").store().url()).isEqualTo(CorralConfig.MEMORY_STORE);
    assertThatThrownBy(() -> parse("store: {url: \"mem\"}\n")).isInstanceOf(org.corral.model.InvalidInputException.class)
        .hasMessageContaining("memory:");
  }
}
