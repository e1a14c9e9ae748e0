package org.corral.policy.expr;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

/**
 * A type-checked expression ready to run. Immutable and safe to share between threads.
 *
 * <p>{@link #readsVm()} and {@link #readsPlacementState()} tell the scheduler how long a result
 * stays valid: an expression that reads neither depends only on the host's static facts and can
 * be evaluated once per host per call.
 */
public final class CompiledExpression {
  private final String source;
  private final ExpressionKind kind;
  private final CelRuntime.Program program;
  private final boolean readsVm;
  private final boolean readsPlacementState;

  CompiledExpression(String source, ExpressionKind kind, CelRuntime.Program program, boolean readsVm,
      boolean readsPlacementState) {
    this.source = source;
    this.kind = kind;
    this.program = program;
    this.readsVm = readsVm;
    this.readsPlacementState = readsPlacementState;
  }

  public String source() {
    return source;
  }

  public ExpressionKind kind() {
    return kind;
  }

  /** True when the expression reads {@code vm.*}: its result differs per VM. */
  public boolean readsVm() {
    return readsVm;
  }

  /** True when it reads {@code host.free.*} or {@code host.vms}: its result changes as VMs land. */
  public boolean readsPlacementState() {
    return readsPlacementState;
  }

  /**
   * Evaluates a requirements expression.
   *
   * @throws EvaluationFailure when evaluation fails (e.g. a missing map key such as
   *                           {@code host.labels["zone"]} on a host without that label)
   */
  public boolean test(ExpressionInputs in) {
    Object v = eval(in);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new EvaluationFailure("expected bool, got " + v);
  }

  /** Evaluates a rank expression as a double (int and uint are widened). */
  public double rank(ExpressionInputs in) {
    Object v = eval(in);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof com.google.common.primitives.UnsignedLong u) {
      return u.doubleValue();
    }
    throw new EvaluationFailure("expected a number, got " + v);
  }

  private Object eval(ExpressionInputs in) {
    CelVariableResolver resolver = name -> Variables.byName(name).map(v -> v.read.apply(in));
    try {
      return program.eval(resolver);
    } catch (CelEvaluationException e) {
      throw new EvaluationFailure(String.valueOf(e.getMessage()));
    }
  }

  @Override
  public String toString() {
    return kind + "(" + source + ")";
  }

  /** An expression that compiled but could not be evaluated for one host. */
  public static final class EvaluationFailure extends RuntimeException {
    EvaluationFailure(String message) {
      super(message, null, false, false);
    }
  }

}
