package org.corral.model.snapshot;

import java.util.Arrays;

/**
 * The last {@code capacity} samples of one measure (a utilisation in 0..1, say), oldest first.
 * Immutable, and cheap to keep in every snapshot: versions share one primitive array that is only
 * ever appended to, so {@link #append} costs O(1) amortised and a snapshot holding an older
 * version never sees it change. Appending to a version that is not the newest copies (a fork).
 *
 * <p>Thread-safety: instances are immutable; {@link #append} is meant for one writer (the
 * Monitor, on the controller's loop), and snapshots are published to readers after it.
 */
public final class Samples {
  /** At least as many samples as the regression-based overload detectors (LR, LRR) need. */
  public static final int DEFAULT_CAPACITY = 12;

  private final Buffer buffer;
  private final int end;
  private final int size;
  private final int capacity;

  private Samples(Buffer buffer, int end, int size, int capacity) {
    this.buffer = buffer;
    this.end = end;
    this.size = size;
    this.capacity = capacity;
  }

  /** No samples yet; will keep the last {@code capacity}. */
  public static Samples empty(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    return new Samples(new Buffer(new double[capacity * 4]), 0, 0, capacity);
  }

  /** The last {@code capacity} of {@code values} (oldest first), in one copy rather than one append each. */
  public static Samples of(double[] values, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    int size = Math.min(capacity, values.length);
    double[] buffer = new double[capacity * 4];
    System.arraycopy(values, values.length - size, buffer, 0, size);
    Buffer b = new Buffer(buffer);
    b.filled = size;
    return new Samples(b, size, size, capacity);
  }

  /** This window with {@code value} added as the newest sample (the oldest drops out when full). */
  public Samples append(double value) {
    int newSize = Math.min(capacity, size + 1);
    Buffer b = buffer;
    synchronized (b) {
      if (b.filled == end && end < b.values.length) {
        b.values[end] = value;
        b.filled = end + 1;
        return new Samples(b, end + 1, newSize, capacity);
      }
    }
    // Full, or a fork from an older version: copy the live part to a fresh array.
    double[] fresh = new double[capacity * 4];
    int keep = newSize - 1;
    System.arraycopy(buffer.values, end - keep, fresh, 0, keep);
    fresh[keep] = value;
    Buffer nb = new Buffer(fresh);
    nb.filled = keep + 1;
    return new Samples(nb, keep + 1, newSize, capacity);
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Sample {@code i}, 0 being the oldest kept. */
  public double get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " of " + size);
    }
    return buffer.values[end - size + i];
  }

  /** The newest sample, or 0 when there is none. */
  public double last() {
    return size == 0 ? 0 : buffer.values[end - 1];
  }

  /** Mean of the newest {@code n} samples (all of them when fewer), or 0 when there are none. */
  public double meanOfLast(int n) {
    int k = Math.min(n, size);
    if (k <= 0) {
      return 0;
    }
    double sum = 0;
    for (int i = end - k; i < end; i++) {
      sum += buffer.values[i];
    }
    return sum / k;
  }

  /** The samples, oldest first, as a new array. */
  public double[] toArray() {
    return Arrays.copyOfRange(buffer.values, end - size, end);
  }

  @Override
  public String toString() {
    return Arrays.toString(toArray());
  }

  /** The shared array and how far it is written. */
  private static final class Buffer {
    final double[] values;
    int filled;

    Buffer(double[] values) {
      this.values = values;
    }
  }
}
