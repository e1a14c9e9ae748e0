package org.corral.controller.store;

import org.corral.model.InvalidInputException;

/** Rules for {@link Store#journal} paging shared by the stores. */
final class JournalPage {
  /** Most entries one call returns; a caller pages on with the last seq it got. */
  static final int MAX_LIMIT = 10_000;

  private JournalPage() {}

  static void checkLimit(int limit) {
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit", "must be between 0 and " + MAX_LIMIT + ", got " + limit,
          "ask for a page of at most " + MAX_LIMIT + " entries and page on with afterSeq");
    }
  }

  static void checkRetention(long keepNewest, int maxDelete) {
    if (keepNewest < 1) {
      throw new InvalidInputException("keepNewest", "must be at least 1, got " + keepNewest,
          "the newest entry is always kept so that sequence numbers never go back");
    }
    if (maxDelete < 0) {
      throw new InvalidInputException("maxDelete", "must be at least 0, got " + maxDelete, "give the most entries one call may delete");
    }
  }
}
