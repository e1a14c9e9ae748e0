package org.corral.controller.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Limits password guessing: at most {@link #PER_USER} failed logins for one user name and
 * {@link #PER_ADDRESS} from one client address within {@link #WINDOW}; past either, logins (even
 * with the right password) are refused until the oldest failure leaves the window. Time comes
 * from the caller (the injected clock). Thread-safe; memory is bounded (at most
 * {@link #MAX_KEYS} names and addresses tracked, the stalest forgotten first).
 */
public final class LoginLimiter {
  public static final int PER_USER = 5;
  public static final int PER_ADDRESS = 20;
  public static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_KEYS = 10_000;

  private final Map<String, Deque<Instant>> failures = new HashMap<>();

  /** Seconds until {@code user} from {@code address} may try again; 0 when a login may be tried now. */
  public synchronized long waitSeconds(String user, String address, Instant now) {
    return Math.max(wait("user:" + user, PER_USER, now), wait("addr:" + address, PER_ADDRESS, now));
  }

  public synchronized void failed(String user, String address, Instant now) {
    add("user:" + user, now);
    add("addr:" + address, now);
  }

  /** A successful login clears the user's failures (not the address's). */
  public synchronized void succeeded(String user) {
    failures.remove("user:" + user);
  }

  private long wait(String key, int limit, Instant now) {
    Deque<Instant> q = failures.get(key);
    if (q == null) {
      return 0;
    }
    Instant cutoff = now.minus(WINDOW);
    while (!q.isEmpty() && !q.peekFirst().isAfter(cutoff)) {
      q.pollFirst();
    }
    if (q.isEmpty()) {
      failures.remove(key);
      return 0;
    }
    if (q.size() < limit) {
      return 0;
    }
    return Math.max(1, Duration.between(now, q.peekFirst().plus(WINDOW)).toSeconds() + 1);
  }

  private void add(String key, Instant now) {
    if (!failures.containsKey(key) && failures.size() >= MAX_KEYS) {
      forgetStalest();
    }
    Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    q.addLast(now);
    while (q.size() > PER_ADDRESS) {
      q.pollFirst();
    }
  }

  private void forgetStalest() {
    String stalest = null;
    Instant oldest = Instant.MAX;
    for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Deque<Instant>> e = it.next();
      Instant last = e.getValue().peekLast();
      if (last == null) {
        it.remove();
      } else if (last.isBefore(oldest)) {
        oldest = last;
        stalest = e.getKey();
      }
    }
    if (stalest != null) {
      failures.remove(stalest);
    }
  }
}
