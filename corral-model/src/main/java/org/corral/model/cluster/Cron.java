package org.corral.model.cluster;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.Instant;
import java.util.BitSet;
import org.corral.model.InvalidInputException;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week, in UTC): each field
 * {@code *}, a number, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}, or a comma list of
 * these; day-of-week 0..7 with 0 and 7 Sunday. As in cron, when both day fields are restricted a
 * day matches either.
 */
public final class Cron {
  private static final String[] NAMES = {"minute", "hour", "day of month", "month", "day of week"};
  private static final int[] LOW = {0, 0, 1, 1, 0};
  private static final int[] HIGH = {59, 23, 31, 12, 7};

  private final String source;
  private final BitSet[] fields = new BitSet[5];
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private Cron(String source, String field) {
    this.source = source;
    String[] parts = source.trim().split("\\s+");
    if (parts.length != 5) {
      throw new InvalidInputException(field, InvalidInputException.quote(source) + " has " + parts.length + " fields, not 5",
          "write minute hour day-of-month month day-of-week, e.g. \"0 8 * * 1-5\" (08:00 UTC on weekdays)");
    }
    for (int i = 0; i < 5; i++) {
      fields[i] = parse(field, i, parts[i]);
    }
    if (fields[4].get(7)) {
      fields[4].set(0);
    }
    domRestricted = !parts[2].equals("*");
    dowRestricted = !parts[4].equals("*");
  }

  /** Parses {@code source}; errors name {@code field} and the offending part. */
  public static Cron parse(String field, String source) {
    return new Cron(source, field);
  }

  public String source() {
    return source;
  }

  /** True when the cron fires in the minute holding {@code t} (UTC). */
  public boolean matches(Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    if (!fields[0].get(z.getMinute()) || !fields[1].get(z.getHour()) || !fields[3].get(z.getMonthValue())) {
      return false;
    }
    boolean dom = fields[2].get(z.getDayOfMonth());
    boolean dow = fields[4].get(z.getDayOfWeek().getValue() % 7);
    return domRestricted && dowRestricted ? dom || dow : dom && dow;
  }

  private static BitSet parse(String field, int i, String text) {
    BitSet set = new BitSet();
    for (String item : text.split(",", -1)) {
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(field, i, item.substring(slash + 1), text);
        if (step < 1) {
          throw bad(field, i, text, "a step must be at least 1");
        }
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = LOW[i];
        hi = HIGH[i];
      } else if (range.contains("-")) {
        String[] ab = range.split("-", -1);
        if (ab.length != 2) {
          throw bad(field, i, text, "a range is a-b");
        }
        lo = number(field, i, ab[0], text);
        hi = number(field, i, ab[1], text);
      } else {
        lo = number(field, i, range, text);
        hi = slash >= 0 ? HIGH[i] : lo;
      }
      if (lo < LOW[i] || hi > HIGH[i] || lo > hi) {
        throw bad(field, i, text, "values must be from " + LOW[i] + " to " + HIGH[i] + ", low to high");
      }
      for (int v = lo; v <= hi; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int number(String field, int i, String s, String text) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw bad(field, i, text, InvalidInputException.quote(s) + " is not a number");
    }
  }

  private static InvalidInputException bad(String field, int i, String text, String why) {
    return new InvalidInputException(field, "has a bad " + NAMES[i] + " field " + InvalidInputException.quote(text) + ": " + why,
        "e.g. \"*/15 8-18 * * 1-5\" (every 15 minutes from 08:00 to 18:59 UTC on weekdays)");
  }

  @Override
  public String toString() {
    return source;
  }
}
