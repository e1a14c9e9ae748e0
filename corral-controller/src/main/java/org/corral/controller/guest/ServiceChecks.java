package org.corral.controller.guest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.Drivers;
import org.corral.drivers.guest.ExecResult;
import org.corral.model.snapshot.ServiceObservation;
import org.corral.model.vm.ServiceCheck;
import org.jspecify.annotations.Nullable;

/**
 * Runs one service check of a VM and turns its answer into a {@link ServiceObservation}: script
 * and Nagios checks through the guest-exec transport of the VM's host (the simulator's, or the
 * QEMU guest agent's for libvirt hosts), TCP and HTTP checks through the probe drivers at the
 * VM's address. Never fails: a check that could not run is UNKNOWN with the reason. The stage
 * completes on the driver's thread; the caller hops back onto the loop.
 */
public final class ServiceChecks {
  private final Drivers drivers;
  private final Duration timeout;

  public ServiceChecks(Drivers drivers, Duration timeout) {
    this.drivers = drivers;
    this.timeout = timeout;
  }

  /**
   * The guest-exec target of domain {@code domain} on the host reached at {@code hostUri}: the
   * simulator's {@code sim://dc/host#domain}, else the QEMU guest agent's
   * {@code qemu-ga://<url-encoded host URI>#<url-encoded domain>}.
   */
  public static String guestTarget(String hostUri, String domain) {
    if (hostUri.startsWith("sim:")) {
      return hostUri + "#" + domain;
    }
    return "qemu-ga://" + URLEncoder.encode(hostUri, StandardCharsets.UTF_8) + "#" + URLEncoder.encode(domain, StandardCharsets.UTF_8);
  }

  /**
   * @param guest   the VM's guest-exec target ({@link #guestTarget})
   * @param address the VM's IP address, for TCP and HTTP checks (null when it has none)
   * @param at      when the check is made (the observation's instant)
   */
  public CompletionStage<ServiceObservation> check(String vm, String guest, @Nullable String address, ServiceCheck c, Instant at) {
    try {
      return switch (c.kind()) {
        case SCRIPT, NAGIOS -> drivers.guestFor("guest", guest).exec(guest, c.checkArgv(), timeout)
            .handle((r, e) -> e != null ? unreachable(vm, c, e, at) : ServiceObservation.ofExit(vm, c, r.exitCode(), r.stdout(), r.stderr(), at));
        case TCP, HTTP -> {
          if (address == null) {
            yield CompletableFuture.completedFuture(ServiceObservation.unreachable(vm, c, "the VM has no address to reach port " + c.port() + " at", at));
          }
          String target = c.kind() == ServiceCheck.Kind.TCP ? "tcp://" + hostPart(address) + ":" + c.port()
              : "http://" + hostPart(address) + ":" + c.port() + c.path();
          yield drivers.probeFor("probe", target).check(target, timeout).handle((r, e) -> e != null ? unreachable(vm, c, e, at)
              : new ServiceObservation(vm, c.name(), r.healthy() ? ServiceObservation.Status.OK : ServiceObservation.Status.CRITICAL,
                  r.detail(), at));
        }
      };
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(unreachable(vm, c, e, at));
    }
  }

  /**
   * Runs {@code verb} (start, stop, restart) of the service in the guest. Completes with the
   * command's result; fails when the service has no such command or the guest cannot be reached.
   */
  public CompletionStage<ExecResult> act(String guest, ServiceCheck c, String verb) {
    List<String> argv = c.actionArgv(verb);
    if (argv.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("service '" + c.name() + "' has no " + verb + " command"));
    }
    try {
      return drivers.guestFor("guest", guest).exec(guest, argv, timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static String hostPart(String address) {
    return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
  }

  private static ServiceObservation unreachable(String vm, ServiceCheck c, Throwable e, Instant at) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String msg = cause.getMessage();
    return ServiceObservation.unreachable(vm, c, "could not run the check: " + (msg == null ? cause.getClass().getSimpleName() : msg), at);
  }
}
