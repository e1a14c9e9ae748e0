package org.corral.controller.command;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.controller.Controller;
import org.corral.controller.connection.Stages;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.power.PowerTarget;
import org.corral.drivers.probe.ProbeResult;
import org.corral.model.host.Host;
import org.jspecify.annotations.Nullable;

/**
 * `corral host check`: tries everything Corral needs from a host — the hypervisor connection and
 * its facts, SSH reachability for ssh transports, the power controller's status — and says what
 * works and what does not, and why. Read-only: it changes no state.
 */
public final class HostChecker {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final Controller controller;

  public HostChecker(Controller controller) {
    this.controller = controller;
  }

  /** One line of the report. */
  public record Check(String name, boolean ok, @Nullable String detail) {}

  /** The whole report; {@code ok} when every check passed. */
  public record HostCheck(String host, boolean ok, List<Check> checks) {}

  /** Runs on the loop; completes on the loop. */
  public CompletionStage<HostCheck> check(String hostName) {
    Host h = controller.state().requireHost(hostName);
    List<CompletionStage<Check>> parts = new ArrayList<>();
    parts.add(hypervisor(h));
    String address = address(h.uri());
    if (address != null) {
      parts.add(probe("ping", "icmp://" + address));
    }
    String sshTarget = sshEndpoint(h.uri());
    if (sshTarget != null) {
      parts.add(probe("ssh port", sshTarget));
    }
    if (h.power().on() != null) {
      parts.add(power("power (on)", h, h.power().on()));
    }
    if (h.power().off() != null) {
      parts.add(power("power (off)", h, h.power().off()));
    }
    if (h.power().on() == null && h.power().off() == null) {
      parts.add(CompletableFuture.completedFuture(new Check("power", true,
          "no power control configured: Corral cannot switch this host on or off, nor fence it")));
    }
    CompletableFuture<HostCheck> out = new CompletableFuture<>();
    List<Check> results = new ArrayList<>();
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (CompletionStage<Check> p : parts) {
      all = all.thenCompose(v -> p.thenAccept(results::add));
    }
    all.whenComplete((v, e) -> controller.clock().execute(() -> {
      boolean ok = results.stream().allMatch(Check::ok);
      out.complete(new HostCheck(hostName, ok, List.copyOf(results)));
    }));
    return out;
  }

  private CompletionStage<Check> hypervisor(Host h) {
    Drivers d = controller.drivers();
    CompletionStage<HypervisorConnection> conn;
    try {
      conn = d.hypervisorFor("uri", h.uri()).connect(h.uri());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new Check("hypervisor", false, e.getMessage()));
    }
    return Stages.within(conn.thenCompose(c -> c.facts().whenComplete((f, e) -> c.close())), TIMEOUT, controller.clock(),
        "connecting to " + h.uri())
        .handle((f, e) -> e != null
            ? new Check("hypervisor", false, h.uri() + ": " + DriverException.of(e).getMessage())
            : new Check("hypervisor", true, f.hypervisor() + " " + f.hypervisorVersion() + " on " + f.hostname() + ": "
                + f.cores() + " CPUs at " + f.mhz() + " MHz, " + f.memoryMib() + " MiB"
                + (f.cores() != h.capacity().cores() || f.memoryMib() != h.capacity().memoryMib()
                    ? " (Corral has " + h.capacity().cores() + " cores, " + h.capacity().memoryMib() + " MiB recorded)" : "")));
  }

  private CompletionStage<Check> probe(String name, String target) {
    try {
      return Stages.within(controller.drivers().probeFor("probe", target).check(target, Duration.ofSeconds(5)),
          TIMEOUT, controller.clock(), "probing " + target)
          .handle((ProbeResult r, Throwable e) -> e != null
              ? new Check(name, false, target + ": " + DriverException.of(e).getMessage())
              : new Check(name, r.healthy(), target + ": " + r.detail()));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new Check(name, false, e.getMessage()));
    }
  }

  private CompletionStage<Check> power(String name, Host h, String uri) {
    try {
      PowerTarget t = new PowerTarget(h.name(), uri, h.power().mac());
      return Stages.within(controller.drivers().powerFor("power", uri).status(t), TIMEOUT, controller.clock(), "power status via " + uri)
          .handle((st, e) -> {
            if (e != null) {
              DriverException d = DriverException.of(e);
              if (d.kind() == DriverException.Kind.UNSUPPORTED) {
                return new Check(name, true, scheme(uri) + ": cannot report status (" + d.getMessage() + ")");
              }
              return new Check(name, false, scheme(uri) + ": " + d.getMessage());
            }
            return new Check(name, true, scheme(uri) + " reports power " + st);
          });
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new Check(name, false, e.getMessage()));
    }
  }

  private static @Nullable String scheme(String uri) {
    return Drivers.scheme(uri);
  }

  /** The host part of a remote hypervisor URI (qemu+ssh://root@node1/system → node1), else null. */
  static @Nullable String address(String uri) {
    try {
      URI u = new URI(uri);
      String scheme = u.getScheme();
      if (scheme == null || scheme.equals("sim") || scheme.equals("test") || u.getHost() == null) {
        return null;
      }
      return u.getHost();
    } catch (Exception e) {
      return null;
    }
  }

  /** tcp://host:port of the SSH server behind an ssh transport URI (qemu+ssh://root@node1/system), else null. */
  static @Nullable String sshEndpoint(String uri) {
    try {
      URI u = new URI(uri);
      if (u.getScheme() == null || !u.getScheme().endsWith("+ssh") || u.getHost() == null) {
        return null;
      }
      return "tcp://" + u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : 22);
    } catch (Exception e) {
      return null;
    }
  }
}
