package org.corral.drivers.probe.http;

import java.util.ArrayList;
import java.util.List;
import org.corral.model.InvalidInputException;

/**
 * The HTTP statuses that count as healthy: a comma-separated list of codes and ranges, e.g.
 * {@code 200-399} (the default) or {@code 200,204,401}.
 */
record ExpectedStatus(List<int[]> ranges, String text) {
  /** 200-399: success and redirects (redirects are not followed). */
  public static final ExpectedStatus DEFAULT = parse("probe.target", "200-399");

  public ExpectedStatus {
    ranges = List.copyOf(ranges);
  }

  /** Parses {@code expect=}; an error names {@code field}. */
  public static ExpectedStatus parse(String field, String text) {
    List<int[]> ranges = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      String[] ends = p.split("-", 2);
      try {
        int lo = Integer.parseInt(ends[0].strip());
        int hi = ends.length == 2 ? Integer.parseInt(ends[1].strip()) : lo;
        if (lo >= 100 && hi <= 599 && lo <= hi) {
          ranges.add(new int[] {lo, hi});
          continue;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new InvalidInputException(field, "expect=" + text + " is not a list of HTTP statuses or ranges",
          "write e.g. expect=200-399 or expect=200,204");
    }
    return new ExpectedStatus(ranges, text);
  }

  public boolean matches(int status) {
    return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
  }
}
