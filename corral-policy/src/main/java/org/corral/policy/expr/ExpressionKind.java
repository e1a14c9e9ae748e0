package org.corral.policy.expr;

/** What an expression is for, which fixes the result type it must have. */
public enum ExpressionKind {
  /** Must be {@code bool}: true when the host may take the VM. */
  REQUIREMENTS,
  /** Must be numeric ({@code int}, {@code uint} or {@code double}): higher ranks first. */
  RANK
}
