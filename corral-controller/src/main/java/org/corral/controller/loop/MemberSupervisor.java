package org.corral.controller.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.corral.drivers.guest.ExecResult;
import org.corral.model.time.Clock;
import org.corral.policy.cluster.CheckRun;
import org.corral.policy.service.ServiceEscalation;
import org.corral.policy.service.ServiceEscalation.Action;
import org.corral.policy.service.ServiceEscalation.History;
import org.corral.policy.service.ServiceEscalation.Step;
import org.corral.policy.service.SupervisorPreset;

/**
 * Cluster members' supervised services (a health check with {@code supervisor:}): what the
 * preset ({@link SupervisorPreset}, pure) decides after each poll, carried out. A failed poll
 * restarts the service with the check's {@code restart} command, tried every
 * {@code startInterval} up to the preset's tries; every attempt counts towards flapping, which
 * pauses restarts; a start that fails for good, a service failing again right after its restart,
 * and a pause over the budget hand the member to the cluster, which replaces it. Soft state per
 * member incarnation (VM uuid) and check, on the loop only.
 */
final class MemberSupervisor {
  /** One supervised service of one member incarnation. */
  private static final class Service {
    History history = History.healthy(true);
    final List<Instant> pauses = new ArrayList<>();
    boolean starting;
    int tries;
    Instant firstTry = Instant.MIN;
  }

  /** Runs an argument list in a member's guest: (vm, guest URI or null, argv, timeout). */
  interface Exec {
    CompletionStage<ExecResult> run(String vm, @org.jspecify.annotations.Nullable String guest, List<String> argv, Duration timeout);
  }

  private final Clock clock;
  private final Exec exec;
  /** (cluster, history line). */
  private final BiConsumer<String, String> history;
  /** A member's uuid, handed to the cluster to be replaced. */
  private final Consumer<String> replace;
  private final Map<String, Service> services = new HashMap<>();

  MemberSupervisor(Clock clock, Exec exec, BiConsumer<String, String> history, Consumer<String> replace) {
    this.clock = clock;
    this.exec = exec;
    this.history = history;
    this.replace = replace;
  }

  /** After a poll of supervised check {@code ch} of member {@code uuid}. */
  void polled(String cluster, CheckRun ch, String uuid, boolean passed) {
    SupervisorPreset preset = preset(ch);
    Service s = services.computeIfAbsent(uuid + "/" + ch.check().hashCode(), k -> new Service());
    if (s.starting) {
      return; // a start is being tried: its own attempts decide
    }
    s.history = s.history.checked(!passed);
    if (passed) {
      return;
    }
    Instant now = clock.now();
    ServiceEscalation.Next n = preset.next(s.history, s.pauses, now);
    act(cluster, ch, uuid, s, preset, n, now);
  }

  private void act(String cluster, CheckRun ch, String uuid, Service s, SupervisorPreset preset, ServiceEscalation.Next n, Instant now) {
    String who = ch.vm() + " " + String.join(" ", ch.command());
    switch (n.action()) {
      case NOTHING -> { }
      case RESTART_SERVICE -> {
        s.starting = true;
        s.tries = 0;
        s.firstTry = now;
        history.accept(cluster, now + " supervisor " + preset.name() + ": " + who + " failed; starting it: " + String.join(" ", ch.restart()));
        attempt(cluster, ch, uuid, s, preset);
      }
      case PAUSED -> {
        s.starting = false;
        Instant began = preset.pauseBegan(n);
        if (!s.pauses.contains(began)) {
          s.pauses.add(began);
          s.pauses.removeIf(p -> p.isBefore(now.minus(preset.pauseWindow())));
          history.accept(cluster, now + " supervisor " + preset.name() + ": " + who + ": " + n.reason());
        }
      }
      case RESTART_VM, RECREATE_ELSEWHERE, GIVE_UP -> {
        s.starting = false;
        history.accept(cluster, now + " supervisor " + preset.name() + ": " + who + ": " + n.reason() + "; the member is replaced");
        services.remove(uuid + "/" + ch.check().hashCode());
        replace.accept(uuid);
      }
    }
  }

  /** One attempt of a start, if the preset allows it now; the next one after {@code startInterval} if it fails. */
  private void attempt(String cluster, CheckRun ch, String uuid, Service s, SupervisorPreset preset) {
    Instant now = clock.now();
    ServiceEscalation.Next may = preset.startAttempt(s.history.restarts(), s.pauses, now);
    if (may.action() != Action.RESTART_SERVICE) {
      act(cluster, ch, uuid, s, preset, may, now);
      return;
    }
    s.tries++;
    s.history = s.history.took(Step.RESTART_SERVICE, now, preset.escalation().flapWindow());
    exec.run(ch.vm(), ch.guest(), ch.restart(), preset.startInterval()).whenComplete((r, err) -> clock.execute(() -> {
      if (services.get(uuid + "/" + ch.check().hashCode()) != s) {
        return; // the member was replaced meanwhile
      }
      if (err == null && r.ok()) {
        s.starting = false; // the next poll judges it
        return;
      }
      Instant at = clock.now();
      var next = preset.retryStart(s.tries, s.firstTry, at);
      if (next.isPresent()) {
        clock.schedule(Duration.between(at, next.get()), () -> {
          if (services.get(uuid + "/" + ch.check().hashCode()) == s) {
            attempt(cluster, ch, uuid, s, preset);
          }
        });
      } else {
        act(cluster, ch, uuid, s, preset, new ServiceEscalation.Next(Action.GIVE_UP, Step.GIVE_UP, at,
            "did not start in " + s.tries + " tries within " + preset.startWithin().toSeconds() + " s"), at);
      }
    }));
  }

  /** How often a supervised check is polled: its preset's period. */
  static Duration poll(CheckRun ch) {
    return preset(ch).poll();
  }

  boolean isEmpty() {
    return services.isEmpty();
  }

  /** Forgets the services of members no longer there (their uuids not in {@code live}). */
  void retainAll(java.util.Set<String> live) {
    services.keySet().removeIf(k -> !live.contains(k.substring(0, k.indexOf('/'))));
  }

  private static SupervisorPreset preset(CheckRun ch) {
    String name = java.util.Objects.requireNonNull(ch.check().supervisor(), "a supervised check");
    return SupervisorPreset.named(name).orElseThrow(() -> new IllegalStateException("checked at apply: " + name));
  }
}
