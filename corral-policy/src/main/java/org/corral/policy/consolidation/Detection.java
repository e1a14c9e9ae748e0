package org.corral.policy.consolidation;

/**
 * An overload detector's answer, with the numbers that led to it, e.g. "demand 0.86 > threshold
 * 0.79 (IQR 1.5: q1 0.42, q3 0.56)".
 */
public record Detection(boolean overloaded, String reason) {
  static Detection of(boolean overloaded, String reason) {
    return new Detection(overloaded, reason);
  }
}
