package org.corral.drivers.power.ipmi;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real BMC for tests: OpenIPMI's {@code ipmi_sim} on 127.0.0.1 and a free UDP port, with one
 * admin user and a chassis-control script that keeps the power state in a file. Shared through
 * corral-drivers' test-jar (the controller's end-to-end power test uses it too). ipmi_sim has no
 * DCMI: it answers {@code dcmi power reading} with "Invalid command (c1)".
 */
public final class IpmiSimulator implements AutoCloseable {
  public static final String USER = "corral";
  public static final String PASSWORD = "c0rral-Test-pw";

  private final Path dir;
  private final int port;
  private final Process process;

  private IpmiSimulator(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Writes the configuration into {@code dir} and starts ipmi_sim; call {@link #awaitReady}. */
  public static IpmiSimulator start(String ipmiSim, Path dir) throws IOException {
    Path script = copy("chassis-control.sh", dir);
    Path emu = copy("ipmi-sim.emu", dir);
    Path state = Files.createDirectories(dir.resolve("chassis"));
    Path persist = Files.createDirectories(dir.resolve("persist"));
    int port = freeUdpPort();
    String conf = resource("lan.conf.template")
        .replace("@PORT@", Integer.toString(port))
        .replace("@SCRIPT@", script.toString())
        .replace("@STATE@", state.toString())
        .replace("@PASSWORD@", PASSWORD);
    Path lanConf = Files.writeString(dir.resolve("lan.conf"), conf);
    Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    Files.writeString(dir.resolve("wrong-password"), "not-the-password\n");
    // -n: no console on stdin/stdout; -s: keep persistent state in the temp dir, not /var.
    Process p = new ProcessBuilder(List.of(ipmiSim, "-c", lanConf.toString(), "-f", emu.toString(),
        "-s", persist.toString(), "-n"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("ipmi_sim.log").toFile())
        .start();
    return new IpmiSimulator(dir, port, p);
  }

  /** Waits, bounded, until the BMC answers a status query through {@code driver}. */
  public void awaitReady(IpmiPowerDriver driver, String uri) {
    await("ipmi_sim answering on port " + port).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("ipmi_sim exited: " + Files.readString(dir.resolve("ipmi_sim.log")));
          }
          driver.status(new org.corral.drivers.power.PowerTarget("bmc", uri, null)).toCompletableFuture().join();
          return true;
        });
  }

  public int port() {
    return port;
  }

  public Path passwordFile() {
    return dir.resolve("password");
  }

  Path wrongPasswordFile() {
    return dir.resolve("wrong-password");
  }

  /**
   * An IPMI 2.0 ({@code lanplus}) URI for this BMC with its password file. ipmi_sim does not
   * implement Get Channel Cipher Suites, so the URI names suite 3 (RAKP-HMAC-SHA1, HMAC-SHA1-96,
   * AES-CBC-128); without it ipmitool waits ~10 s for that query first.
   */
  public String lanplusUri() {
    return "ipmi://" + USER + "@127.0.0.1:" + port + "?cipher=3&passwordFile=" + passwordFile();
  }

  /** An IPMI 1.5 ({@code lan}) URI for this BMC with its password file. */
  public String lanUri() {
    return "ipmi://" + USER + "@127.0.0.1:" + port + "?interface=lan&passwordFile=" + passwordFile();
  }

  /** The rail's state as the chassis-control script recorded it: "1" on, "0" off. */
  public String rail() throws IOException {
    Path p = dir.resolve("chassis/power");
    return Files.exists(p) ? Files.readString(p).strip() : "0";
  }

  /** Every chassis-control call so far, one per line ("set power 1", "get power", ...). */
  public List<String> calls() throws IOException {
    Path p = dir.resolve("chassis/calls");
    return Files.exists(p) ? Files.readAllLines(p).stream().map(String::strip).toList() : List.of();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    process.onExit().join();
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path copy(String name, Path dir) throws IOException {
    return Files.writeString(dir.resolve(name), resource(name));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = IpmiSimulator.class.getResourceAsStream("/power/" + name)) {
      if (in == null) {
        throw new IOException("test resource /power/" + name + " missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
