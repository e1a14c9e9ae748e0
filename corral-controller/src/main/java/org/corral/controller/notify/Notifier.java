package org.corral.controller.notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.corral.model.journal.JournalEntry;
import org.corral.model.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications without ever blocking the loop: {@link #publish} (called on the loop with
 * each journal entry) only offers to a bounded queue; one virtual thread sends, and a delivery
 * that fails is offered again after {@code backoff × 2^(attempt-1)} on the controller's clock, up
 * to {@code attempts} tries. When the queue is full, the notification is dropped and counted (the
 * journal keeps everything).
 */
public final class Notifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** How deliveries are retried and how many may wait. */
  public record Retry(int attempts, Duration backoff, int queue) {
    public static final Retry DEFAULT = new Retry(5, Duration.ofSeconds(2), 1000);
  }

  private record Delivery(Channel channel, Notification n, int attempt) {}

  private final Clock clock;
  private final List<Channel> channels;
  private final Retry retry;
  private final BlockingQueue<Delivery> queue;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong givenUp = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private volatile boolean running = true;
  /** The last {@link #KEEP} deliveries by key (journal seq and channel), and their keys oldest first: for the API. */
  private final java.util.concurrent.ConcurrentHashMap<String, Delivered> recent = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<String> recentOrder = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final int KEEP = 200;
  private final @org.jspecify.annotations.Nullable Thread worker;

  public Notifier(Clock clock, List<Channel> channels, Retry retry) {
    this.clock = clock;
    this.channels = List.copyOf(channels);
    this.retry = retry;
    this.queue = new ArrayBlockingQueue<>(retry.queue());
    this.worker = channels.isEmpty() ? null : Thread.ofVirtual().name("corral-notify").start(this::drain);
  }

  /** Offers the notification {@code e} makes, if any, to each channel that wants it. Never blocks. */
  public void publish(JournalEntry e) {
    if (channels.isEmpty()) {
      return;
    }
    Notification.of(e).ifPresent(n -> {
      for (Channel c : channels) {
        if (c.wants(n)) {
          offer(new Delivery(c, n, 1));
        }
      }
    });
  }

  private void offer(Delivery d) {
    if (!running) {
      return;
    }
    if (d.attempt() == 1) {
      note(d, Status.QUEUED, 0, null);
    }
    if (!queue.offer(d)) {
      note(d, Status.DROPPED, d.attempt() - 1, "the queue of " + retry.queue() + " was full");
      if (dropped.getAndIncrement() % 100 == 0) {
        LOG.warn("notification queue full ({}): {} to {} dropped (the journal has it)", retry.queue(), d.n().event(), d.channel().name());
      }
    }
  }

  private void drain() {
    while (running) {
      Delivery d;
      try {
        d = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        d.channel().send(d.n());
        note(d, Status.SENT, d.attempt(), null); // before the count: a reader that sees the count sees the status
        sent.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        failed(d, e);
      }
    }
  }

  private void failed(Delivery d, Exception e) {
    String error = org.corral.model.Secrets.mask(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (d.attempt() >= retry.attempts()) {
      note(d, Status.GIVEN_UP, d.attempt(), error);
      givenUp.incrementAndGet();
      LOG.warn("notification {} (journal {}) to {} given up after {} attempts: {}", d.n().event(), d.n().seq(), d.channel().name(),
          d.attempt(), e.toString());
      return;
    }
    Duration wait = retry.backoff().multipliedBy(1L << Math.min(20, d.attempt() - 1));
    if (wait.compareTo(MAX_BACKOFF) > 0) {
      wait = MAX_BACKOFF;
    }
    note(d, Status.RETRYING, d.attempt(), error);
    LOG.info("notification {} to {} failed (attempt {}), again in {}: {}", d.n().event(), d.channel().name(), d.attempt(), wait,
        e.toString());
    clock.schedule(wait, () -> offer(new Delivery(d.channel(), d.n(), d.attempt() + 1)));
    // After the schedule: a reader that sees the count (a test, before it moves a virtual clock on)
    // sees the retry's timer already set from the time it failed.
    retried.incrementAndGet();
  }

  /** Where a delivery stands. */
  public enum Status {
    /** Waiting for its first attempt. */
    QUEUED,
    /** Accepted by its channel. */
    SENT,
    /** An attempt failed; another is scheduled. */
    RETRYING,
    /** Every attempt failed. */
    GIVEN_UP,
    /** Not sent: the queue was full (the journal has the entry). */
    DROPPED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One notification to one channel, as the API shows it: never a secret (the channel's target is
   * its URL without query or user part, or its addresses; the error is masked).
   *
   * @param event    what it tells (host.down, ...), from journal entry {@code seq} about {@code subject}
   * @param attempts attempts made so far
   * @param at       when it last changed
   * @param error    why the last attempt failed, if it did
   */
  public record Delivered(long seq, String event, String subject, String channel, String target, Status status, int attempts,
      java.time.Instant at, @org.jspecify.annotations.Nullable String error) {}

  private void note(Delivery d, Status status, int attempts, @org.jspecify.annotations.Nullable String error) {
    String key = d.n().seq() + " " + d.channel().name();
    Delivered v = new Delivered(d.n().seq(), d.n().event(), d.n().subject(), d.channel().kind(), d.channel().target(), status, attempts,
        clock.now(), error);
    if (recent.put(key, v) == null) {
      recentOrder.add(key);
      while (recentOrder.size() > KEEP) {
        String old = recentOrder.poll();
        if (old != null) {
          recent.remove(old);
        }
      }
    }
  }

  /** The last {@value #KEEP} deliveries, newest first (by journal seq). Any thread. */
  public List<Delivered> recent() {
    return recent.values().stream().sorted(java.util.Comparator.comparingLong(Delivered::seq).reversed()
        .thenComparing(Delivered::channel).thenComparing(Delivered::target)).toList();
  }

  /** Deliveries accepted by their channel. */
  public long sent() {
    return sent.get();
  }

  /** Deliveries that failed every attempt. */
  public long givenUp() {
    return givenUp.get();
  }

  /** Notifications dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Failed attempts that were scheduled again. */
  public long retried() {
    return retried.get();
  }

  /** Notifications waiting to be sent. */
  public int waiting() {
    return queue.size();
  }

  @Override
  public void close() {
    running = false;
    if (worker != null) {
      worker.interrupt();
    }
  }
}
