package org.corral.policy.expr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiles each distinct expression once. Bounded (least recently used entries go first) so that
 * a stream of one-off expressions cannot grow it without limit. Thread-safe.
 *
 * <p>A compiled expression is an immutable function of its source text, so one process-wide
 * cache ({@link #shared()}) is a pure memo: it changes how fast, never what, a decision is.
 */
public final class ExpressionCache {
  private static final ExpressionCache SHARED = new ExpressionCache(4096);

  /** The process-wide cache the scheduler uses. */
  public static ExpressionCache shared() {
    return SHARED;
  }

  private final Map<Key, CompiledExpression> entries;

  public ExpressionCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be ≥ 1, got " + maxEntries);
    }
    this.entries = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, CompiledExpression> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** The compiled form of {@code expr}; throws like {@link Expressions#compile}. */
  public synchronized CompiledExpression get(String field, String expr, ExpressionKind kind) {
    Key key = new Key(expr, kind);
    CompiledExpression hit = entries.get(key);
    if (hit == null) {
      hit = Expressions.compile(field, expr, kind);
      entries.put(key, hit);
    }
    return hit;
  }

  private record Key(String expr, ExpressionKind kind) {}
}
