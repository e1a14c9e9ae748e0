package org.corral.drivers.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;

/**
 * Commands "inside" simulated domains, target {@code sim://<dc>/<host>#<domain>}. Nothing runs:
 * a scripted answer per domain (default: exit 0, no output). The domain must be running on that
 * host, else UNREACHABLE; a partition of the host's management network does not matter (the
 * guest is reached over its own network).
 */
public final class SimGuestExec implements GuestExec {
  private static final ExecResult OK = new ExecResult(0, "", "");
  private final SimDataCenter dc;
  private final Map<String, Function<List<String>, ExecResult>> scripts = new ConcurrentHashMap<>();

  public SimGuestExec(SimDataCenter dc) {
    this.dc = dc;
  }

  /** From now on, commands in {@code domain} are answered by {@code script} (given the argv). */
  public void onExec(String domain, Function<List<String>, ExecResult> script) {
    scripts.put(domain, script);
  }

  @Override
  public Set<String> schemes() {
    return Set.of(SimUri.SCHEME);
  }

  @Override
  public CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout) {
    try {
      if (argv == null || argv.isEmpty()) {
        throw new DriverException(Kind.REJECTED, "argv is empty; give the program and its arguments");
      }
      SimUri uri = reach(targetUri, timeout);
      ExecResult r = scripts.getOrDefault(uri.domain(), a -> OK).apply(List.copyOf(argv));
      return CompletableFuture.completedFuture(r);
    } catch (DriverException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new DriverException(Kind.TRANSIENT, "scripted exec failed: " + e.getMessage(), e));
    }
  }

  /** The simulated guest agent answers while its domain runs and its guest does not hang ({@link SimDataCenter#hangGuest}). */
  @Override
  public CompletionStage<Void> ping(String targetUri, Duration timeout) {
    try {
      reach(targetUri, timeout);
      return CompletableFuture.completedFuture(null);
    } catch (DriverException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The target's domain, running on its host with a guest that answers; else UNREACHABLE, or TIMEOUT for a hung guest. */
  private SimUri reach(String targetUri, Duration timeout) {
    SimUri uri = SimUri.parse(targetUri);
    if (uri.domain() == null || uri.domain().isBlank()) {
      throw new DriverException(Kind.REJECTED, "'" + targetUri + "' names no domain; write sim://<dc>/<host>#<domain>");
    }
    dc.read(() -> {
      SimHost h = dc.hostFor(uri);
      SimDomain d = h.domains.get(uri.domain());
      if (h.power != SimPower.ON || d == null || !d.phase.usesCpu()) {
        throw new DriverException(Kind.UNREACHABLE, "domain '" + uri.domain() + "' is not running on " + h.name());
      }
      if (d.hung) {
        throw new DriverException(Kind.TIMEOUT, "the guest agent of '" + uri.domain() + "' did not answer within " + timeout.toMillis()
            + " ms (simulated: the guest hangs)");
      }
      return null;
    });
    return uri;
  }
}
