package org.corral.controller;

import java.time.Duration;
import org.corral.model.InvalidInputException;

/**
 * How long the journal keeps its entries (the `journal:` section of corral.yaml): entries older
 * than {@code maxAge}, and all but the newest {@code maxEntries}, are deleted a bounded batch at
 * a time ({@code Store#compactJournal}). Sequence numbers go on; a client that pages or resumes
 * a stream from a deleted entry simply starts at the oldest one kept.
 *
 * @param maxAge     entries older than this go
 * @param maxEntries at most this many are kept (at least 1,000)
 * @param every      how often the controller compacts
 */
public record JournalRetention(Duration maxAge, long maxEntries, Duration every) {
  /** 30 days, at most 10 million entries (about 5 GB on H2), checked every minute. */
  public static final JournalRetention DEFAULT = new JournalRetention(Duration.ofDays(30), 10_000_000, Duration.ofMinutes(1));
  /** Entries deleted per transaction: a bounded pause of the loop, even for a large backlog. */
  public static final int BATCH = 20_000;

  public JournalRetention {
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new InvalidInputException("journal.maxAge", "must be a positive duration", "e.g. maxAge: 30d");
    }
    if (maxEntries < 1000) {
      throw new InvalidInputException("journal.maxEntries", "must be at least 1000, got " + maxEntries,
          "keep at least the last 1000 entries, e.g. maxEntries: 10000000");
    }
    if (every == null || every.isNegative() || every.isZero()) {
      throw new InvalidInputException("journal.every", "must be a positive duration", "e.g. every: 1m");
    }
  }
}
