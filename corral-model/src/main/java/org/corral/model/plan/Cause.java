package org.corral.model.plan;

/**
 * Why something happened: the loop or user behind it, a sentence a person can read, and the
 * cycle of the loop that decided it (0 for user requests).
 */
public record Cause(Origin origin, String reason, long cycle) {
  public static Cause user(String who, String what) {
    return new Cause(Origin.USER, what + " (requested by " + who + ")", 0);
  }

  public static Cause of(Origin origin, long cycle, String reason) {
    return new Cause(origin, reason, cycle);
  }
}
