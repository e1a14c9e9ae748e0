package org.corral.policy.consolidation;

import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An overload detector's answer, with the numbers that led to it, e.g. "demand 0.86 > threshold
 * 0.79 (IQR 1.5: q1 0.42, q3 0.56)". The reason is written when first asked for: a decision tests
 * every host and reads the reason only for the few that are overloaded.
 */
public final class Detection {
  private final boolean overloaded;
  private @Nullable Supplier<String> why;
  private @Nullable String reason;

  private Detection(boolean overloaded, @Nullable String reason, @Nullable Supplier<String> why) {
    this.overloaded = overloaded;
    this.reason = reason;
    this.why = why;
  }

  static Detection of(boolean overloaded, String reason) {
    return new Detection(overloaded, Objects.requireNonNull(reason, "reason"), null);
  }

  /** @param reason written on the first call to {@link #reason()}, at most once */
  static Detection of(boolean overloaded, Supplier<String> reason) {
    return new Detection(overloaded, null, Objects.requireNonNull(reason, "reason"));
  }

  public boolean overloaded() {
    return overloaded;
  }

  /** Why, with the numbers. Not thread-safe: one decision, one thread. */
  public String reason() {
    String r = reason;
    if (r == null) {
      r = Objects.requireNonNull(Objects.requireNonNull(why, "a reason or a way to write one").get(), "reason");
      reason = r;
      why = null;
    }
    return r;
  }

  @Override
  public String toString() {
    return (overloaded ? "overloaded: " : "not overloaded: ") + reason();
  }
}
