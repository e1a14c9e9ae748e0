package org.corral.drivers.power.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerReading;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IpmiPowerDriver against a real BMC: OpenIPMI's ipmi_sim on loopback, driven by the real ipmitool. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpmiPowerDriverTest {
  private Path dir;
  private String ipmitool;
  private IpmiSimulator bmc;
  private IpmiPowerDriver driver;

  @BeforeAll
  void startBmc(@TempDir Path dir) throws Exception {
    this.dir = dir;
    ipmitool = ExternalTools.require("ipmitool", "ipmitool");
    String ipmiSim = ExternalTools.require("ipmi_sim", "openipmi");
    bmc = IpmiSimulator.start(ipmiSim, dir);
    driver = new IpmiPowerDriver(new IpmiSettings(ipmitool, 1, 2, Duration.ofSeconds(15)),
        Map.of("CORRAL_TEST_BMC_PASSWORD", IpmiSimulator.PASSWORD)::get);
    bmc.awaitReady(driver, lanUri());
  }

  @AfterAll
  void stopBmc() {
    if (driver != null) {
      driver.close();
    }
    if (bmc != null) {
      bmc.close();
    }
  }

  private String lanplusUri() {
    return bmc.lanplusUri();
  }

  private String lanUri() {
    return bmc.lanUri();
  }

  private static PowerTarget target(String uri) {
    return new PowerTarget("node1", uri, null);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static DriverException failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      return DriverException.of(e);
    }
    throw new AssertionError("expected the call to fail");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lanplus", "lan"})
  void powerOnOffAndStatusRoundTrip(String iface) throws Exception {
    PowerTarget t = target(iface.equals("lan") ? lanUri() : lanplusUri());
    join(driver.powerOff(t, true));
    assertThat(join(driver.status(t))).as("status after hard off").isEqualTo(PowerStatus.OFF);
    assertThat(bmc.rail()).isEqualTo("0");

    join(driver.powerOn(t));
    assertThat(join(driver.status(t))).as("status after on").isEqualTo(PowerStatus.ON);
    assertThat(bmc.rail()).isEqualTo("1");

    join(driver.powerOff(t, true));
    assertThat(join(driver.status(t))).as("status after off").isEqualTo(PowerStatus.OFF);
  }

  @Test
  void softOffAsksTheOsToShutDown() throws Exception {
    PowerTarget t = target(lanplusUri());
    join(driver.powerOn(t));
    join(driver.powerOff(t, false));
    assertThat(bmc.calls()).as("the BMC sent an ACPI shutdown request").contains("set shutdown 1");
    assertThat(join(driver.status(t))).isEqualTo(PowerStatus.OFF);
  }

  @Test
  void cycleTurnsTheRailOff() throws Exception {
    PowerTarget t = target(lanplusUri());
    join(driver.powerOn(t));
    int before = bmc.calls().size();
    join(driver.cycle(t));
    assertThat(bmc.calls().subList(before, bmc.calls().size())).as("cycle starts with power off")
        .contains("set power 0");
  }

  @Test
  void passwordFromEnvironmentWorksAndStaysOffTheCommandLine() {
    PowerTarget t = target("ipmi://" + IpmiSimulator.USER + "@127.0.0.1:" + bmc.port()
        + "?cipher=3&passwordEnv=CORRAL_TEST_BMC_PASSWORD");
    join(driver.powerOn(t));
    assertThat(join(driver.status(t))).isEqualTo(PowerStatus.ON);

    IpmitoolInvocation inv = driver.invocation("power.on", t, ChassisCommand.STATUS);
    assertThat(inv.argv()).contains("-E").doesNotContain("-P")
        .noneMatch(a -> a.contains(IpmiSimulator.PASSWORD));
    assertThat(inv.environment()).containsEntry(IpmitoolInvocation.PASSWORD_VARIABLE, IpmiSimulator.PASSWORD);
    assertThat(inv.toString()).doesNotContain(IpmiSimulator.PASSWORD);
  }

  @Test
  void passwordFileIsPassedByPathOnly() {
    IpmitoolInvocation inv = driver.invocation("power.on", target(lanUri()), ChassisCommand.ON);
    assertThat(inv.argv()).containsSubsequence("-f", bmc.passwordFile().toString())
        .doesNotContain("-P").noneMatch(a -> a.contains(IpmiSimulator.PASSWORD));
    assertThat(inv.argv()).containsSubsequence("-I", "lan", "-H", "127.0.0.1", "-p", Integer.toString(bmc.port()),
        "-U", IpmiSimulator.USER);
    assertThat(inv.argv()).endsWith("chassis", "power", "on");
    assertThat(inv.environment()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lanplus", "lan"})
  void wrongPasswordIsAuth(String iface) {
    String uri = "ipmi://" + IpmiSimulator.USER + "@127.0.0.1:" + bmc.port() + "?interface=" + iface
        + "&cipher=3&passwordFile=" + bmc.wrongPasswordFile();
    DriverException e = failure(driver.status(target(uri)));
    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).contains("refused").doesNotContain("not-the-password");
  }

  @Test
  void unknownUserIsAuth() {
    String uri = "ipmi://nobody@127.0.0.1:" + bmc.port() + "?cipher=3&passwordFile=" + bmc.passwordFile();
    assertThat(failure(driver.status(target(uri))).kind()).isEqualTo(Kind.AUTH);
  }

  @Test
  void silentBmcIsUnreachableWithinTheRetryBudget() throws Exception {
    int silentPort;
    try (var s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      silentPort = s.getLocalPort(); // closed again: nothing answers there
    }
    IpmiPowerDriver quick = new IpmiPowerDriver(new IpmiSettings(ipmitool, 1, 1, Duration.ofSeconds(10)), k -> null);
    long start = System.nanoTime(); // real elapsed time of a real process: the point of this check
    DriverException e = failure(quick.status(target("ipmi://admin@127.0.0.1:" + silentPort
        + "?passwordFile=" + bmc.passwordFile())));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    quick.close();
    assertThat(e.kind()).isIn(Kind.UNREACHABLE, Kind.TIMEOUT);
    assertThat(took).as("bounded by -N 1 -R 1, well inside the hard timeout").isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void hungIpmitoolIsKilledAtTheHardTimeout() throws Exception {
    Path hanging = Files.writeString(dir.resolve("hanging-ipmitool"), "#!/bin/sh\nexec sleep 300\n");
    hanging.toFile().setExecutable(true);
    IpmiPowerDriver stuck = new IpmiPowerDriver(new IpmiSettings(hanging.toString(), 1, 1, Duration.ofSeconds(3)),
        k -> null);
    CompletionStage<Void> stage = stuck.powerOn(target(lanUri()));
    assertThat(stage.toCompletableFuture().isDone()).as("powerOn returned without waiting for ipmitool").isFalse();
    DriverException e = failure(stage);
    stuck.close();
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("killed");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lanplus", "lan"})
  void ipmiSimHasNoDcmiSoThePowerIsNotReported(String iface) {
    PowerReading r = join(driver.powerReading(target(iface.equals("lan") ? lanUri() : lanplusUri())));
    assertThat(r).isInstanceOfSatisfying(PowerReading.NotReported.class, n -> assertThat(n.reason())
        .contains("does not report power").contains("Invalid command").doesNotContain(IpmiSimulator.PASSWORD));
  }

  @Test
  void aPowerReadingWithTheWrongPasswordIsAuthNotAMissingFeature() {
    String uri = "ipmi://" + IpmiSimulator.USER + "@127.0.0.1:" + bmc.port() + "?cipher=3&passwordFile="
        + bmc.wrongPasswordFile();
    DriverException e = failure(driver.powerReading(target(uri)));
    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).contains("dcmi power reading");
  }

  /** The measured path through a real process: a stand-in ipmitool that prints a DCMI reading. */
  @Test
  void aDcmiReadingIsParsedFromIpmitoolsOutput() throws Exception {
    Path output = dir.resolve("dcmi-output.txt");
    try (var in = getClass().getResourceAsStream("/power/dcmi-power-reading.txt")) {
      Files.write(output, in.readAllBytes());
    }
    Path fake = Files.writeString(dir.resolve("dcmi-ipmitool"), String.join("\n",
        "#!/bin/sh",
        "for last; do :; done", // the last argument
        "[ \"$last\" = reading ] || { echo \"unexpected command: $*\" >&2; exit 2; }",
        "exec cat " + output, ""));
    fake.toFile().setExecutable(true);
    IpmiPowerDriver measuring = new IpmiPowerDriver(new IpmiSettings(fake.toString(), 1, 1, Duration.ofSeconds(5)), k -> null);
    PowerReading r = join(measuring.powerReading(target(lanplusUri())));
    measuring.close();
    assertThat(r).isEqualTo(new PowerReading.Measured(224));
  }

  @Test
  void missingIpmitoolNamesTheDebianPackage() {
    IpmiPowerDriver none = new IpmiPowerDriver(
        new IpmiSettings(dir.resolve("no-such-ipmitool").toString(), 1, 1, Duration.ofSeconds(5)), k -> null);
    DriverException e = failure(none.powerOn(target(lanUri())));
    none.close();
    assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(e.getMessage()).contains("apt-get install ipmitool");
  }

  @Test
  void unreadablePasswordFileFailsInsteadOfPrompting() {
    String uri = "ipmi://admin@127.0.0.1:" + bmc.port() + "?passwordFile=" + dir.resolve("absent.pass");
    DriverException e = failure(driver.powerOn(target(uri)));
    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).contains("absent.pass").contains("missing or not readable");
  }

  @Test
  void unsetPasswordVariableIsAuth() {
    String uri = "ipmi://admin@127.0.0.1:" + bmc.port() + "?passwordEnv=CORRAL_UNSET_VARIABLE";
    DriverException e = failure(driver.powerOn(target(uri)));
    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).contains("CORRAL_UNSET_VARIABLE");
  }
}
