package org.corral.drivers.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.jspecify.annotations.Nullable;

/**
 * Runs commands over SSH with one MINA SSHD client. Each command gets its own session (connect,
 * verify the host key, authenticate with a key, exec, close) so that no state leaks between
 * targets; everything happens under one deadline. Thread-safe: many commands may run at once.
 *
 * <p>Authentication is by public key only: passwords and keyboard-interactive are not offered.
 * Host keys must be listed in known_hosts ({@link HostKeyCheck}); nothing is ever added to it.
 *
 * <p>Failures are {@link DriverException}s: refused or changed host key, or key not accepted →
 * AUTH; connection refused, no route, unknown host → UNREACHABLE; deadline passed → TIMEOUT
 * (message "timed out after 2s ..."). A command that ran and exited non-zero is not a failure:
 * its {@link ExecResult} says so.
 */
public final class SshConnector implements AutoCloseable {
  /**
   * The command started but the session ended without an exit status: the connection dropped or
   * the command was killed by a signal. TRANSIENT; a power-off command that takes sshd down with it
   * ends this way, and the SSH power driver counts it as accepted.
   */
  public static final class NoExitStatus extends DriverException {
    NoExitStatus(String message) {
      super(Kind.TRANSIENT, message);
    }
  }

  /** Output kept per stream; a chatty command cannot exhaust memory. */
  static final int OUTPUT_LIMIT = 1 << 20;

  private final SshSettings settings;
  private final SshClient client;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  public SshConnector(SshSettings settings) {
    this.settings = settings;
    this.client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(new HostKeyCheck());
    client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    // No ~/.ssh/config: a target means exactly what its URI says.
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
    client.start();
  }

  public SshSettings settings() {
    return settings;
  }

  /** {@link #run} on a virtual thread; never blocks the caller. */
  public CompletionStage<ExecResult> exec(SshEndpoint target, String commandLine, Duration timeout) {
    try {
      return CompletableFuture.supplyAsync(() -> run(target, commandLine, timeout), threads);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new DriverException(DriverException.Kind.REJECTED, "the SSH client is closed"));
    }
  }

  /**
   * Runs {@code commandLine} (already quoted, see {@link PosixQuoting}) on {@code target}, blocking
   * for at most {@code timeout} in total (connect, key exchange, authentication and command).
   */
  public ExecResult run(SshEndpoint target, String commandLine, Duration timeout) {
    // Real elapsed time of real network I/O: System.nanoTime is the right clock for this deadline.
    long deadline = System.nanoTime() + timeout.toNanos();
    List<KeyPair> keys = identities(target);
    HostKeyCheck.Expected expected = new HostKeyCheck.Expected(knownHosts(target), target.host(), target.port());
    AttributeRepository context = AttributeRepository.ofKeyValuePair(HostKeyCheck.EXPECTED, expected);
    ClientSession session = null;
    String stage = "connecting";
    try {
      session = client.connect(target.user(), target.host(), target.port(), context, null)
          .verify(remaining(deadline, timeout)).getSession();
      keys.forEach(session::addPublicKeyIdentity);
      stage = "authenticating";
      session.auth().verify(remaining(deadline, timeout));
      stage = "running the command";
      return execute(session, target, commandLine, deadline, timeout);
    } catch (DriverException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw classify(target, session, expected, stage, timeout, e);
    } finally {
      if (session != null) {
        session.close(true);
      }
    }
  }

  private static ExecResult execute(ClientSession session, SshEndpoint target, String commandLine, long deadline,
      Duration timeout) throws IOException {
    BoundedOutput out = new BoundedOutput(OUTPUT_LIMIT);
    BoundedOutput err = new BoundedOutput(OUTPUT_LIMIT);
    try (ChannelExec channel = session.createExecChannel(commandLine)) {
      channel.setIn(java.io.InputStream.nullInputStream()); // the command reads EOF, never waits for input
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(remaining(deadline, timeout));
      Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
          remaining(deadline, timeout));
      if (events.contains(ClientChannelEvent.TIMEOUT)) {
        throw new DriverException(Kind.TIMEOUT, "ssh " + target.display() + ": timed out after " + brief(timeout)
            + " running the command");
      }
      Integer status = channel.getExitStatus();
      if (status == null) {
        String signal = channel.getExitSignal();
        throw new NoExitStatus("ssh " + target.display() + ": the command ended without an exit status"
            + (signal == null ? " (connection closed)" : " (signal " + signal + ")"));
      }
      return new ExecResult(status, out.text(), err.text());
    }
  }

  private List<KeyPair> identities(SshEndpoint target) {
    List<Path> paths = target.identity() != null ? List.of(target.identity())
        : settings.identities().stream().filter(Files::isReadable).toList();
    if (paths.isEmpty()) {
      throw new DriverException(Kind.AUTH, "ssh " + target.display() + ": no private key: none of "
          + settings.identities() + " exists; add identity=/path/to/key to the URI");
    }
    List<KeyPair> keys = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.isReadable(p)) {
        throw new DriverException(Kind.AUTH, "ssh " + target.display() + ": identity file " + p
            + " is missing or unreadable");
      }
      try {
        new FileKeyPairProvider(p).loadKeys(null).forEach(keys::add);
      } catch (Exception e) {
        throw new DriverException(Kind.AUTH, "ssh " + target.display() + ": cannot load private key " + p + " ("
            + e.getMessage() + "); use an unencrypted ECDSA or RSA key readable only by corral", e);
      }
    }
    if (keys.isEmpty()) {
      // MINA reads Ed25519 keys only with an EdDSA provider on the classpath, and then yields no key at all.
      throw new DriverException(Kind.AUTH, "ssh " + target.display() + ": no usable private key in " + paths
          + "; Ed25519 keys are not supported here: create an ECDSA key (ssh-keygen -t ecdsa -N '')");
    }
    return keys;
  }

  private Path knownHosts(SshEndpoint target) {
    return target.knownHosts() != null ? target.knownHosts() : settings.knownHosts();
  }

  private static Duration remaining(long deadline, Duration timeout) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new DriverException(Kind.TIMEOUT, "timed out after " + brief(timeout));
    }
    return Duration.ofNanos(left);
  }

  private static DriverException classify(SshEndpoint target, @Nullable ClientSession session, HostKeyCheck.Expected expected,
      String stage, Duration timeout, Exception e) {
    String where = "ssh " + target.display() + ": ";
    String rejection = expected.rejection().get();
    if (rejection == null && session != null) {
      rejection = session.getAttribute(HostKeyCheck.REJECTION);
    }
    if (rejection != null) {
      return new DriverException(Kind.AUTH, where + "host key refused: " + rejection, e);
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return new DriverException(Kind.UNREACHABLE, where + "connection refused", e);
      }
      if (c instanceof NoRouteToHostException) {
        return new DriverException(Kind.UNREACHABLE, where + "no route to host", e);
      }
      if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
        return new DriverException(Kind.UNREACHABLE, where + "unknown host " + target.host(), e);
      }
      if (c instanceof SocketTimeoutException || c instanceof java.util.concurrent.TimeoutException
          || c instanceof java.nio.channels.InterruptedByTimeoutException) {
        return new DriverException(Kind.TIMEOUT, where + "timed out after " + brief(timeout) + " " + stage, e);
      }
    }
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("timeout") || msg.contains("timed out")) {
      return new DriverException(Kind.TIMEOUT, where + "timed out after " + brief(timeout) + " " + stage, e);
    }
    if (stage.equals("authenticating")) {
      return new DriverException(Kind.AUTH, where + "the key was not accepted for " + target.user()
          + " (" + msg + "); install the public key in ~" + target.user() + "/.ssh/authorized_keys", e);
    }
    return new DriverException(Kind.UNREACHABLE, where + stage + " failed: " + msg, e);
  }

  /** "2s", "1500ms": how timeouts appear in messages and probe details. */
  public static String brief(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  @Override
  public void close() {
    threads.shutdownNow();
    try {
      client.stop();
    } catch (RuntimeException ignored) {
      // Best effort at shutdown: open sessions are being torn down anyway.
    }
  }
}
