package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.corral.cli.api.ApiException;
import org.corral.cli.api.CorralApi;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Units;
import org.corral.model.time.Clock;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/**
 * Polls {@code GET /vms/NAME} until the VM reaches a {@link WaitGoal}, the action it waits for
 * ends, the VM FAILS, or the timeout passes. The action is the one the request started (its key
 * is in the accepted answer's {@code action}) or, for a VM that had none yet (a new one), the first
 * the VM is seen with; once the VM no longer shows it, {@code GET /actions/KEY} says how it ended,
 * and a failed or rejected action ends the wait at once with its reason. Pauses and the deadline
 * come from the session's {@link Clock}, so tests drive it on virtual time. In table mode each new
 * state is printed as it is seen.
 */
final class VmWaiter {
  private final Session session;
  private final Duration interval;
  private final Duration timeout;

  VmWaiter(Session session, Duration interval, Duration timeout) {
    this.session = session;
    this.interval = interval;
    this.timeout = timeout;
  }

  /**
   * Returns the VM's last view, or null when the goal was deletion and it is gone.
   *
   * @param accepted the answer to the request, whose {@code action} is the action to follow (may be null)
   */
  public @Nullable JsonNode until(String vm, WaitGoal goal, @Nullable JsonNode accepted) {
    Clock clock = session.clock();
    Instant deadline = clock.now().plus(timeout);
    String shown = null;
    String action = accepted == null ? null : Nodes.text(accepted, "action");
    while (true) {
      JsonNode view = fetch(vm);
      String state = view == null ? "DELETED" : Nodes.text(view, "state");
      String line = progress(vm, view, state);
      if (!session.json() && !line.equals(shown)) {
        session.out().println(line);
        shown = line;
      }
      if (reached(goal, view)) {
        return view;
      }
      String inFlight = view == null ? null : Nodes.text(view, "action");
      if (action == null) {
        action = inFlight;
      } else if (!action.equals(inFlight)) {
        JsonNode ended = outcome(action);
        if (ended != null) {
          String status = Nodes.text(ended, "status");
          if ("FAILED".equals(status) || "REJECTED".equals(status)) {
            String error = Nodes.text(ended, "error");
            throw new WaitGaveUpException("action " + action + " " + status + (error == null ? "" : ": " + error)
                + "; " + vm + " is " + state + (view != null && Nodes.text(view, "host") != null ? " on " + Nodes.text(view, "host") : "")
                + because(view));
          }
          if ("SUCCEEDED".equals(status)) {
            return view; // the action is done; the VM is as it left it
          }
        }
        action = inFlight;
      }
      if (VmState.FAILED.name().equals(state) && !(goal instanceof WaitGoal.Deleted)) {
        throw new WaitGaveUpException(vm + " FAILED" + because(view));
      }
      if (!clock.now().isBefore(deadline)) {
        throw new WaitGaveUpException("gave up after " + Units.duration(timeout) + " waiting for " + vm
            + " to be " + goal.describe() + ": it is " + state + because(view));
      }
      pause(clock);
    }
  }

  static boolean reached(WaitGoal goal, @Nullable JsonNode view) {
    String state = view == null ? null : Nodes.text(view, "state");
    return switch (goal) {
      case WaitGoal.Running r -> VmState.RUNNING.name().equals(state);
      case WaitGoal.Stopped s -> VmState.STOPPED.name().equals(state);
      case WaitGoal.RunningOn on -> VmState.RUNNING.name().equals(state)
          && on.host().equals(Nodes.text(view, "host"))
          && Nodes.text(view, "migrationTarget") == null;
      case WaitGoal.Deleted d -> view == null || VmState.DELETED.name().equals(state);
    };
  }

  /** The action's record (in progress or finished), or null when Corral has none by that key. */
  private @Nullable JsonNode outcome(String key) {
    List<String> segments = new ArrayList<>(List.of("actions"));
    segments.addAll(List.of(key.split("/")));
    try {
      return session.api().get(CorralApi.path(segments.toArray(String[]::new)));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  private @Nullable JsonNode fetch(String vm) {
    try {
      return session.api().get(CorralApi.path("vms", vm));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static String progress(String vm, @Nullable JsonNode view, @Nullable String state) {
    StringBuilder b = new StringBuilder("vm ").append(vm).append(": ").append(state);
    String host = view == null ? null : Nodes.text(view, "host");
    String target = view == null ? null : Nodes.text(view, "migrationTarget");
    if (host != null) {
      b.append(" on ").append(host);
    }
    if (target != null) {
      b.append(" -> ").append(target);
    }
    return b.append(because(view)).toString();
  }

  private static String because(@Nullable JsonNode view) {
    String reason = view == null ? null : Nodes.text(view, "stateReason");
    return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
  }

  /** Waits one interval on the session's clock; no thread sleeps, a timer completes a future. */
  private void pause(Clock clock) {
    CompletableFuture<Void> due = new CompletableFuture<>();
    Clock.Timer timer = clock.schedule(interval, () -> due.complete(null));
    try {
      due.get();
    } catch (InterruptedException e) {
      timer.cancel();
      Thread.currentThread().interrupt();
      throw new WaitGaveUpException("interrupted while waiting");
    } catch (ExecutionException e) {
      throw new IllegalStateException("a timer that only completes cannot fail", Objects.requireNonNullElse(e.getCause(), e));
    }
  }
}
