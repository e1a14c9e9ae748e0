package org.corral.drivers.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An embedded MINA SSH server on 127.0.0.1 for tests: an in-memory ECDSA host key, one accepted
 * client key (written to {@link #identity()}), a known_hosts file listing the host key, and
 * commands implemented in Java. Every command line received is recorded in {@link #commands()}.
 */
public final class TestSshServer implements AutoCloseable {
  /** What a test command does: write output, return the exit code (or block until destroyed). */
  @FunctionalInterface
  public interface Behaviour {
    int run(String commandLine, PrintStream out, PrintStream err) throws Exception;
  }

  /** Exits with {@code code} after writing {@code stderr}. */
  public static Behaviour exit(int code, String stderr) {
    return (line, out, err) -> {
      err.print(stderr);
      return code;
    };
  }

  /** Never finishes on its own: the client's timeout must end it. */
  public static final Behaviour HANG = (line, out, err) -> {
    new java.util.concurrent.CountDownLatch(1).await(); // interrupted when the channel is destroyed
    return 0;
  };

  /** Closes the whole connection without an exit status, as a shutdown that stops sshd first does. */
  public static final Behaviour DROP_CONNECTION = (line, out, err) -> {
    throw new IllegalStateException("handled in RecordedCommand.start");
  };

  /** Runs the line with the real /bin/sh, as OpenSSH's sshd does with {@code $SHELL -c}. */
  public static final Behaviour SHELL = (line, out, err) -> {
    Process p = new ProcessBuilder(List.of("/bin/sh", "-c", line)).start();
    p.getOutputStream().close();
    out.write(p.getInputStream().readAllBytes());
    err.write(p.getErrorStream().readAllBytes());
    return p.waitFor();
  };

  private final SshServer server;
  private final Path dir;
  private final KeyPair hostKey;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private volatile Behaviour fallback = exit(127, "sh: command not found\n");

  private TestSshServer(SshServer server, Path dir, KeyPair hostKey) {
    this.server = server;
    this.dir = dir;
    this.hostKey = hostKey;
  }

  /** Starts a server, writing the client key and known_hosts into {@code dir}. */
  public static TestSshServer start(Path dir) throws Exception {
    KeyPair hostKey = ecKey();
    KeyPair clientKey = ecKey();
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    TestSshServer t = new TestSshServer(sshd, dir, hostKey);
    sshd.setCommandFactory((channel, line) -> t.new RecordedCommand(line));
    sshd.start();
    writeKey(clientKey, dir.resolve("id_ecdsa"));
    writeKey(ecKey(), dir.resolve("id_ecdsa_stranger"));
    Files.writeString(dir.resolve("known_hosts"), t.knownHostsLine(hostKey));
    Files.writeString(dir.resolve("known_hosts_other_key"), t.knownHostsLine(ecKey()));
    Files.writeString(dir.resolve("known_hosts_empty"), "");
    return t;
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static void writeKey(KeyPair key, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "corral-test", null, out);
    }
  }

  private String knownHostsLine(KeyPair key) {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n";
  }

  public int port() {
    return server.getPort();
  }

  /** The private key the server accepts. */
  public Path identity() {
    return dir.resolve("id_ecdsa");
  }

  /** A private key the server does not accept. */
  public Path strangerIdentity() {
    return dir.resolve("id_ecdsa_stranger");
  }

  /** known_hosts listing this server's host key. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** known_hosts listing a different key for this server's name (as after a reinstall or an attack). */
  public Path knownHostsWithOtherKey() {
    return dir.resolve("known_hosts_other_key");
  }

  /** An empty known_hosts. */
  public Path emptyKnownHosts() {
    return dir.resolve("known_hosts_empty");
  }

  /** The query string that points a URI at this server's key and known_hosts. */
  public String keyQuery() {
    return "identity=" + identity() + "&knownHosts=" + knownHosts();
  }

  /** Makes the exact command line {@code line} behave as {@code b}. */
  public TestSshServer on(String line, Behaviour b) {
    behaviours.put(line, b);
    return this;
  }

  /** How command lines without their own behaviour act (default: exit 127). */
  public TestSshServer otherwise(Behaviour b) {
    fallback = b;
    return this;
  }

  /** Every command line received, in order. */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  public SshSettings clientSettings(Duration connect, Duration command) {
    return new SshSettings(List.of(identity()), knownHosts(), connect, command);
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /** One exec request: runs its behaviour on a virtual thread and reports the exit code. */
  private final class RecordedCommand implements Command {
    private final String line;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Thread thread;

    RecordedCommand(String line) {
      this.line = line;
    }

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      commands.add(line);
      Behaviour b = behaviours.getOrDefault(line, fallback);
      if (b == DROP_CONNECTION) {
        channel.getSession().close(true);
        return;
      }
      thread = Thread.ofVirtual().start(() -> {
        int code;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try {
          code = b.run(line, o, e);
        } catch (InterruptedException ie) {
          return; // destroyed: the channel is gone
        } catch (Exception ex) {
          e.println("test command failed: " + ex);
          code = 255;
        }
        o.flush();
        e.flush();
        exit.onExit(code);
      });
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (thread != null) {
        thread.interrupt();
      }
    }
  }
}
