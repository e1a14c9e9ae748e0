package org.corral.cli.command;

import java.time.Duration;
import org.corral.cli.convert.DurationConverter;
import picocli.CommandLine.Option;

/** {@code --wait}, {@code --timeout} and {@code --poll-interval}, shared by the VM verbs that can wait. */
final class WaitOptions {
  private static final Duration SHORTEST_POLL = Duration.ofMillis(1);

  @Option(names = "--wait", description = "Return only once the VM has settled or its action ended;"
      + " exit 7 if the action failed, the VM FAILED or --timeout passed.")
  boolean wait;

  // picocli always sets it: the option has a defaultValue.
  @SuppressWarnings("NullAway.Init")
  @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long --wait waits, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  // picocli always sets it: the option has a defaultValue.
  @SuppressWarnings("NullAway.Init")
  @Option(names = "--poll-interval", defaultValue = "500ms", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How often --wait asks for the VM's state (default: ${DEFAULT-VALUE}).")
  Duration pollInterval;

  public boolean enabled() {
    return wait;
  }

  public VmWaiter waiter(Session session) {
    Duration interval = pollInterval.compareTo(SHORTEST_POLL) < 0 ? SHORTEST_POLL : pollInterval;
    return new VmWaiter(session, interval, timeout);
  }
}
