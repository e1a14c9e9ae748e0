package org.corral.drivers.libvirt;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.model.time.Clock;

/**
 * One reconnection effort: attempt, and after a retryable failure schedule the next attempt on
 * the clock after the backoff's delay. No thread waits in between.
 */
final class Reconnection {
  private final Function<String, CompletionStage<HypervisorConnection>> connector;
  private final Clock clock;
  private final ReconnectBackoff backoff;
  private final String uri;
  private final int maxAttempts;
  private final CompletableFuture<HypervisorConnection> result = new CompletableFuture<>();

  Reconnection(Function<String, CompletionStage<HypervisorConnection>> connector, Clock clock,
      ReconnectBackoff backoff, String uri, int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    this.connector = connector;
    this.clock = clock;
    this.backoff = backoff;
    this.uri = uri;
    this.maxAttempts = maxAttempts;
  }

  CompletionStage<HypervisorConnection> start() {
    attempt(1);
    return result;
  }

  private void attempt(int n) {
    CompletionStage<HypervisorConnection> stage;
    try {
      stage = connector.apply(uri);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((c, e) -> {
      if (e == null) {
        result.complete(c);
        return;
      }
      DriverException d = DriverException.of(e);
      if (!d.kind().retryable() || n >= maxAttempts) {
        result.completeExceptionally(d);
        return;
      }
      clock.schedule(backoff.delay(uri, n), () -> attempt(n + 1));
    });
  }
}
