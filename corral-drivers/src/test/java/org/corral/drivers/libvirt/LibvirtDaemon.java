package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, private libvirtd: session mode, its socket in a temporary directory, no TCP. Run as
 * {@code nobody} through {@code setpriv} when the tests run as root (libvirtd as root would take
 * over the machine's system state); as the current user otherwise. Clients reach libvirtd's
 * built-in test driver through it with {@code test+unix:///default?socket=...}, which gives a
 * remote connection that can really be dropped.
 */
final class LibvirtDaemon implements AutoCloseable {
  private static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private final Path dir;
  private final Process process;

  private LibvirtDaemon(Path dir, Process process) {
    this.dir = dir;
    this.process = process;
  }

  /** Starts libvirtd and waits (bounded) for its socket; skips off CI, fails on CI, without libvirtd. */
  static LibvirtDaemon start() throws IOException {
    if (!Files.isExecutable(LIBVIRTD)) {
      String why = LIBVIRTD + " not found (Debian package libvirt-daemon)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + ": CI must apt-get install libvirt-daemon");
      }
      Assumptions.abort(why);
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("corral-libvirtd");
    Path run = Files.createDirectories(dir.resolve("run"));
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.createDirectories(dir.resolve("pool"));
    Path conf = dir.resolve("libvirtd.conf");
    Files.writeString(conf, "unix_sock_dir = \"" + run + "\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n");
    List<String> cmd = new ArrayList<>();
    if (root) {
      giveTo(dir, "nobody");
      cmd.addAll(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    }
    cmd.addAll(List.of(LIBVIRTD.toString(), "--config", conf.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_RUNTIME_DIR", run.toString());
    pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    LibvirtDaemon d = new LibvirtDaemon(dir, pb.start());
    Awaitility.await("libvirtd socket").atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(d.socket()) || !d.process.isAlive());
    if (!d.process.isAlive()) {
      String log = Files.readString(dir.resolve("libvirtd.log"));
      d.close();
      fail("libvirtd exited at start: " + log);
    }
    return d;
  }

  Path socket() {
    return dir.resolve("run").resolve("libvirt-sock");
  }

  /** A directory the daemon's user owns, for a storage pool. */
  Path poolDir() {
    return dir.resolve("pool");
  }

  /** The daemon's own QEMU session driver and its real storage driver. */
  String qemuSessionUri() {
    return "qemu+unix:///session?socket=" + socket();
  }

  /** libvirtd's test driver, reached through the daemon (a remote connection). */
  String testUri() {
    return "test+unix:///default?socket=" + socket();
  }

  /** Kills libvirtd at once, as a crash or a host dropping off the network would. */
  void kill() {
    process.destroyForcibly();
  }

  /** libc's kill(2), so that freezing needs no procps in the CI image. */
  private interface LibC extends com.sun.jna.Library {
    int SIGCONT = 18;
    int SIGSTOP = 19;

    int kill(int pid, int sig);
  }

  /** Freezes libvirtd (SIGSTOP): the socket stays open but nothing answers, like a partitioned host. */
  void freeze() {
    LibC c = com.sun.jna.Native.load("c", LibC.class);
    if (c.kill((int) process.pid(), LibC.SIGSTOP) != 0) {
      fail("kill(" + process.pid() + ", SIGSTOP) failed");
    }
  }

  /** Lets a frozen libvirtd run again (SIGCONT): it answers what waited in its socket. */
  void thaw() {
    LibC c = com.sun.jna.Native.load("c", LibC.class);
    if (c.kill((int) process.pid(), LibC.SIGCONT) != 0) {
      fail("kill(" + process.pid() + ", SIGCONT) failed");
    }
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void giveTo(Path dir, String user) throws IOException {
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    GroupPrincipal group = users.lookupPrincipalByGroupName("nogroup");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        v.setOwner(users.lookupPrincipalByName(user));
        v.setGroup(group);
        v.setPermissions(PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }
}
