package org.corral.drivers.lab;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.corral.drivers.hypervisor.DomainSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real libvirt + QEMU lab that {@code lab/qemu-lab up} starts (two or more libvirtd nodes on
 * qemu+tcp, each in its own namespaces, and a tiny guest that prints on its serial console), as
 * the tests of the {@value #TAG} group see it: read from the lab's {@code lab.env}. Without a lab
 * the tests are skipped with the reason, except with {@code CI=true}, where a missing lab fails:
 * {@code .ci/run} starts it, and a CI that cannot is broken, not green.
 *
 * <p>The guest prints, on ttyS0 (which the domain XML also logs to a file on its node):
 * {@code corral-lab: user-data begin}, the NoCloud user data, {@code corral-lab: user-data end},
 * {@code corral-lab: ready ...}, then {@code corral-lab: heartbeat host=... uptime=SECONDS} every second.
 */
public final class QemuLab {
  /** The JUnit tag of the group: {@code ./mvnw verify -Dgroups=qemu-lab} runs it alone. */
  public static final String TAG = "qemu-lab";
  /** The guest's memory: 96 MiB boots, 64 MiB prints nothing. */
  public static final long GUEST_MEMORY_MIB = 128;
  public static final String READY = "corral-lab: ready";
  /** In user data, makes the guest busy-loop one vCPU from boot. */
  public static final String BUSY = "corral-lab: busy";
  private static final Pattern UPTIME = Pattern.compile("corral-lab: heartbeat host=\\S+ uptime=([0-9.]+)");

  private static volatile QemuLab lab;

  private final Path state;
  private final List<String> uris;
  private final Map<String, String> env;

  private QemuLab(Path state, Map<String, String> env) {
    this.state = state;
    this.env = env;
    this.uris = List.of(get("CORRAL_LAB_URIS").split(" "));
  }

  /**
   * Skips every test of a class without a lab, with the reason, so that the report counts them as
   * skipped; with CI=true it lets them run, and {@link #require} fails them.
   */
  public static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return Files.isRegularFile(envFile()) || ci() ? ConditionEvaluationResult.enabled("the QEMU lab is up")
          : ConditionEvaluationResult.disabled(notUp());
    }
  }

  private static Path envFile() {
    return Path.of(Optional.ofNullable(System.getenv("CORRAL_LAB_STATE")).orElse("/var/lib/corral-lab")).resolve("lab.env");
  }

  private static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static String notUp() {
    return "the QEMU lab is not up (no " + envFile() + "): run `sudo lab/qemu-lab up` to run the " + TAG + " tests";
  }

  /** The lab, or the test is skipped (failed with CI=true) naming how to start it. */
  public static QemuLab require() {
    QemuLab l = lab;
    if (l != null) {
      return l;
    }
    Path file = envFile();
    Path state = file.getParent();
    if (!Files.isRegularFile(file)) {
      if (ci()) {
        fail(notUp() + " (CI=true: .ci/run starts the lab; a CI without it must not pass by skipping)");
      }
      Assumptions.abort(notUp());
    }
    Map<String, String> env = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          env.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
    l = new QemuLab(state, env);
    lab = l;
    return l;
  }

  private String get(String key) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(key + " missing from " + state.resolve("lab.env") + "; run lab/qemu-lab up again");
    }
    return v;
  }

  /** The nodes' libvirt URIs, node1 first. */
  public List<String> uris() {
    return uris;
  }

  public String uri(int node) {
    return uris.get(node - 1);
  }

  public String pool() {
    return get("CORRAL_LAB_POOL");
  }

  public String baseVolume() {
    return get("CORRAL_LAB_BASE_VOLUME");
  }

  public Path poolDir() {
    return Path.of(get("CORRAL_LAB_POOL_DIR"));
  }

  /** The corral.yaml the lab wrote for its nodes. */
  public Path config() {
    return Path.of(get("CORRAL_LAB_CONFIG"));
  }

  /** The lab's corral.yaml as a test runs it: the API on a free loopback port, the store in memory. */
  public String configForTests() {
    try {
      return Files.readString(config()).replace("listen: 127.0.0.1:7070", "listen: \"127.0.0.1:0\"")
          .replaceAll("url: jdbc:h2:file:\\S+", "url: \"memory:\"");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + config() + "; run lab/qemu-lab up again", e);
    }
  }

  /** How the guest boots: the lab's kernel and initramfs, console on ttyS0. */
  public DomainSpec.Boot boot() {
    return new DomainSpec.Boot(get("CORRAL_LAB_KERNEL"), get("CORRAL_LAB_INITRD"), "console=ttyS0 panic=-1 quiet");
  }

  /** A 1-vCPU guest with a qcow2 overlay on the lab's base image, booting the lab's kernel. */
  public DomainSpec guest(String name, String userData) {
    String uuid = UUID.nameUUIDFromBytes(("corral-lab/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    return new DomainSpec(name, uuid, 1, GUEST_MEMORY_MIB, List.of(new DomainSpec.Disk(pool(), baseVolume(), "qcow2", 1, "vda")),
        List.of(), userData, boot());
  }

  /**
   * The guest-exec target of domain {@code name} on node {@code node} through the QEMU guest agent
   * ({@code qemu-ga://<url-encoded node URI>#<domain>}), as the controller writes it.
   */
  public String agentTarget(int node, String name) {
    return "qemu-ga://" + java.net.URLEncoder.encode(uri(node), StandardCharsets.UTF_8) + "#"
        + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  /** The node (1, 2, ...) a URI belongs to. */
  public int node(String uri) {
    int i = uris.indexOf(uri);
    if (i < 0) {
      throw new IllegalArgumentException(uri + " is not one of the lab's nodes " + uris);
    }
    return i + 1;
  }

  /** Node {@code node}'s own copy of /var/log/libvirt (its mount namespace's), seen from here. */
  private Path nodeDir(int node) {
    return Path.of(get("CORRAL_LAB_NODE_DIRS"), "node" + node);
  }

  /** What domain {@code name} printed on its serial console on node {@code node} (empty if nothing yet). */
  public String console(int node, String name) {
    Path log = nodeDir(node).resolve("log/qemu/" + name + "-console.log");
    try {
      // The serial line ends lines with CR LF.
      return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.ISO_8859_1).replace("\r\n", "\n") : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Removes domain {@code name}'s console log on node {@code node} (the domain XML appends to it),
   * so that what a test reads is what this boot printed. Call it while the domain is not running.
   */
  public void resetConsole(int node, String name) {
    try {
      Files.deleteIfExists(nodeDir(node).resolve("log/qemu/" + name + "-console.log"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the console log of " + name + " on node" + node, e);
    }
  }

  /** The guest's uptime in its last heartbeat on node {@code node}'s console, or -1 before the first. */
  public double lastUptime(int node, String name) {
    Matcher m = UPTIME.matcher(console(node, name));
    double last = -1;
    while (m.find()) {
      last = Double.parseDouble(m.group(1));
    }
    return last;
  }

  /** The PID of the QEMU process running domain {@code name} on node {@code node}, if any. */
  public Optional<Long> qemuPid(int node, String name) {
    return pidFile(nodeDir(node).resolve("run/libvirt/qemu/" + name + ".pid"), "qemu-system");
  }

  private static Optional<Long> pidFile(Path file, String program) {
    try {
      long pid = Long.parseLong(Files.readString(file).trim());
      return ProcessHandle.of(pid).filter(p -> p.isAlive() && comm(pid).startsWith(program)).map(p -> pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** The resident memory of the QEMU process running {@code name} on node {@code node}, in MiB (-1 if none). */
  public long qemuRssMib(int node, String name) {
    return qemuPid(node, name).map(pid -> {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
          }
        }
      } catch (IOException | NumberFormatException e) {
        // gone meanwhile
      }
      return -1L;
    }).orElse(-1L);
  }

  /** Stops node {@code node}'s libvirtd (its guests keep running), as a host whose daemon died. */
  public void stopNode(int node) {
    script("stop-node", Integer.toString(node));
  }

  /** Starts node {@code node}'s libvirtd again in its namespaces; it finds the guests still running. */
  public void startNode(int node) {
    script("start-node", Integer.toString(node));
  }

  /**
   * Freezes node {@code node}'s libvirtd (SIGSTOP): its sockets stay open and nothing answers, as
   * a host cut off by a partition (or a daemon hung); its guests keep running. {@link #thawNode}
   * lets it go on.
   */
  public void freezeNode(int node) {
    signal(libvirtdPid(node), "STOP");
  }

  /** SIGCONT after {@link #freezeNode}: the daemon answers what waited in its sockets. */
  public void thawNode(int node) {
    signal(libvirtdPid(node), "CONT");
  }

  private long libvirtdPid(int node) {
    return pidFile(state.resolve("pids/node" + node + ".libvirtd"), "libvirtd")
        .orElseThrow(() -> new IllegalStateException("node" + node + "'s libvirtd is not running; run lab/qemu-lab start-node "
            + node));
  }

  private void script(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(get("CORRAL_LAB_SCRIPT")));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs {@code virsh -c <node's URI> args...} (e.g. suspend NAME), as an administrator on that node would. */
  public void virsh(int node, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("virsh", "-c", uri(node)));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  /** Sends {@code signal} (e.g. KILL, STOP, CONT) to a process the lab started; argument list, no shell. */
  public static void signal(long pid, String signal) {
    run(List.of("kill", "-" + signal, Long.toString(pid)));
  }

  /**
   * Bounded waits on real processes: a TCG guest boots in 8-10 s on an idle 2-core machine, so
   * the bounds leave room for a loaded one.
   */
  public static ConditionFactory await(String what, Duration atMost) {
    return Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO);
  }

  /** The result of a driver call on a real node, waited for at most a minute. */
  public static <T> T result(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("a driver call on the lab did not complete within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits until domain {@code name} on node {@code node} printed its ready line. */
  public void awaitReady(int node, String name) {
    await(name + " on node" + node + " to print its ready line", Duration.ofSeconds(90))
        .until(() -> console(node, name).contains(READY));
  }
}
