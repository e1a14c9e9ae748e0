package org.corral.controller.api;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Cursor pagination over a map sorted by name. The cursor is the last name a page covered, so
 * a client paging while objects are added and removed never sees one twice and never misses one
 * that existed throughout (one added behind the cursor is simply not seen). A page costs what
 * its entries cost, not what the whole map holds: {@code tailMap} finds the cursor in O(log n).
 *
 * <p>A filter that matches rarely could make one page scan the whole map; a page therefore
 * stops after {@link #SCAN_BUDGET} entries looked at, and may come back short, or empty, with a
 * cursor to go on from (as DynamoDB's filtered scans do). Only the absence of a cursor means the
 * end.
 */
final class Pages {
  /** Page size when the request gives none, and the largest one may ask for. */
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 10_000;
  /** Entries one page may look at before it answers with what it has. */
  static final int SCAN_BUDGET = 100_000;
  /** Response header with the cursor of the next page; absent on the last page. */
  static final String NEXT = "X-Corral-Next";

  private Pages() {}

  /** One page: its items and the cursor to pass as {@code ?after=} for the next, or null at the end. */
  record Page<T>(List<T> items, @Nullable String next) {}

  /**
   * The entries of {@code sorted} after {@code after} (all of them when null) that pass
   * {@code filter}, at most {@code limit}.
   */
  static <T> Page<T> of(NavigableMap<String, T> sorted, @Nullable String after, int limit, Predicate<? super T> filter) {
    return of(sorted, after, limit, filter, SCAN_BUDGET);
  }

  static <T> Page<T> of(NavigableMap<String, T> sorted, @Nullable String after, int limit, Predicate<? super T> filter,
      int budget) {
    NavigableMap<String, T> rest = after == null ? sorted : sorted.tailMap(after, false);
    return page(rest.entrySet().iterator(), limit, filter, budget);
  }

  /** Same, over sorted names whose objects are looked up (e.g. the VMs on one host); vanished ones are skipped. */
  static <T> Page<T> ofNames(java.util.NavigableSet<String> names, Map<String, T> lookup, @Nullable String after,
      int limit, Predicate<? super T> filter) {
    Iterator<String> rest = (after == null ? names : names.tailSet(after, false)).iterator();
    Iterator<Map.Entry<String, @Nullable T>> entries = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rest.hasNext();
      }

      @Override
      public Map.Entry<String, @Nullable T> next() {
        String name = rest.next();
        return new java.util.AbstractMap.SimpleImmutableEntry<>(name, lookup.get(name));
      }
    };
    return page(entries, limit, filter, SCAN_BUDGET);
  }

  /** The one scan: at most {@code limit} matches, at most {@code budget} entries looked at. */
  private static <T> Page<T> page(Iterator<? extends Map.Entry<String, ? extends @Nullable T>> it, int limit,
      Predicate<? super T> filter, int budget) {
    List<T> items = new ArrayList<>(Math.min(limit, 256));
    int scanned = 0;
    @Nullable String last = null;
    while (it.hasNext() && items.size() < limit && scanned < budget) {
      Map.Entry<String, ? extends @Nullable T> e = it.next();
      scanned++;
      last = e.getKey();
      T t = e.getValue();
      if (t != null && filter.test(t)) {
        items.add(t);
      }
    }
    return new Page<>(items, it.hasNext() ? last : null);
  }

  /** ?limit=, checked: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
  static int limit(Context ctx) {
    long l = ApiServer.longParam(ctx, "limit", DEFAULT_LIMIT);
    if (l < 1 || l > MAX_LIMIT) {
      throw new InvalidInputException("limit", "must be 1 to " + MAX_LIMIT + ", not " + l,
          "ask for at most " + MAX_LIMIT + " per page and follow the " + NEXT + " header for the rest");
    }
    return (int) l;
  }

  /**
   * Answers a page: the items as a JSON array (as before pagination), and the next page's cursor
   * in the {@value #NEXT} header and as a {@code Link: <...>; rel="next"} that repeats the query.
   */
  static void answer(Context ctx, Page<?> page, Function<Object, Object> view) {
    if (page.next() != null) {
      ctx.header(NEXT, page.next());
      StringBuilder link = new StringBuilder(ctx.path()).append("?after=").append(encode(page.next()));
      for (Map.Entry<String, List<String>> q : ctx.queryParamMap().entrySet()) {
        if (!q.getKey().equals("after")) {
          for (String v : q.getValue()) {
            link.append('&').append(encode(q.getKey())).append('=').append(encode(v));
          }
        }
      }
      ctx.header("Link", "<" + link + ">; rel=\"next\"");
    }
    ApiServer.json(ctx, 200, page.items().stream().map(view).toList());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
