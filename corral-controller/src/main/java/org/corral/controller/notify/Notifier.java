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
    if (!queue.offer(d)) {
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
        sent.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        failed(d, e);
      }
    }
  }

  private void failed(Delivery d, Exception e) {
    if (d.attempt() >= retry.attempts()) {
      givenUp.incrementAndGet();
      LOG.warn("notification {} (journal {}) to {} given up after {} attempts: {}", d.n().event(), d.n().seq(), d.channel().name(),
          d.attempt(), e.toString());
      return;
    }
    Duration wait = retry.backoff().multipliedBy(1L << Math.min(20, d.attempt() - 1));
    if (wait.compareTo(MAX_BACKOFF) > 0) {
      wait = MAX_BACKOFF;
    }
    retried.incrementAndGet();
    LOG.info("notification {} to {} failed (attempt {}), again in {}: {}", d.n().event(), d.channel().name(), d.attempt(), wait,
        e.toString());
    clock.schedule(wait, () -> offer(new Delivery(d.channel(), d.n(), d.attempt() + 1)));
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
