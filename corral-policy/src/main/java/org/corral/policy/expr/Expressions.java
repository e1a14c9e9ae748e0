package org.corral.policy.expr;

import org.jspecify.annotations.Nullable;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import org.corral.model.InvalidInputException;

/**
 * Compiles user expressions against the declared {@code host.*} and {@code vm.*} variables.
 * The controller calls {@link #validateRequirements} and {@link #validateRank} at admission, so
 * that a VM with a bad expression is refused with a message naming the field; the scheduler
 * compiles (through a cache) with {@link #compile}.
 */
public final class Expressions {
  // Heterogeneous comparisons let users write host.free.cpus > 2 (double vs int).
  static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
  private static final CelCompiler COMPILER = compiler();
  static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

  private Expressions() {}

  /**
   * Throws {@link InvalidInputException} naming {@code field} unless {@code expr} compiles to a
   * {@code bool} over the declared variables. A null or blank expression is accepted (no
   * requirement).
   */
  public static void validateRequirements(String field, @Nullable String expr) {
    if (expr != null && !expr.isBlank()) {
      compile(field, expr, ExpressionKind.REQUIREMENTS);
    }
  }

  /**
   * Throws {@link InvalidInputException} naming {@code field} unless {@code expr} compiles to a
   * number ({@code int}, {@code uint} or {@code double}). Null or blank is accepted.
   */
  public static void validateRank(String field, @Nullable String expr) {
    if (expr != null && !expr.isBlank()) {
      compile(field, expr, ExpressionKind.RANK);
    }
  }

  /**
   * Compiles and type-checks {@code expr}; never returns null.
   *
   * @throws InvalidInputException naming {@code field} with CEL's message and an example fix
   */
  public static CompiledExpression compile(String field, String expr, ExpressionKind kind) {
    CelValidationResult result = COMPILER.compile(expr);
    if (result.hasError()) {
      throw new InvalidInputException(field, "does not compile: " + oneLine(result.getErrorString()), fix(kind));
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (CelValidationException e) {
      throw new InvalidInputException(field, "does not compile: " + oneLine(e.getMessage()), fix(kind));
    }
    CelType type = ast.getResultType();
    if (!hasKind(type, kind)) {
      throw new InvalidInputException(field, "has type " + type.name() + " but a " + kind.name().toLowerCase()
          + " expression must be " + (kind == ExpressionKind.RANK ? "a number (int, uint or double)" : "bool"), fix(kind));
    }
    boolean readsVm = false;
    boolean readsState = false;
    for (var ref : ast.getReferenceMap().values()) {
      var variable = Variables.byName(ref.name());
      if (variable.isPresent()) {
        readsVm |= variable.get().isVm();
        readsState |= variable.get().changesWithPlacement;
      }
    }
    try {
      return new CompiledExpression(expr, kind, RUNTIME.createProgram(ast), readsVm, readsState);
    } catch (CelEvaluationException e) {
      throw new InvalidInputException(field, "cannot be prepared: " + oneLine(e.getMessage()), fix(kind));
    }
  }

  private static boolean hasKind(CelType type, ExpressionKind kind) {
    CelKind k = type.kind();
    return switch (kind) {
      case REQUIREMENTS -> k == CelKind.BOOL;
      case RANK -> k == CelKind.INT || k == CelKind.UINT || k == CelKind.DOUBLE;
    };
  }

  private static String fix(ExpressionKind kind) {
    String example = switch (kind) {
      case REQUIREMENTS -> "a bool such as 'host.labels[\"zone\"] == \"a\"' or '\"ssd\" in host.labels && host.cpuUtilisation < 0.8'";
      case RANK -> "a number such as 'host.free.memoryMib' or '-host.cpuUtilisation'";
    };
    return "write " + example + "; variables: " + Variables.listing();
  }

  static String oneLine(@Nullable String celMessage) {
    // CEL's message spans lines (source excerpt and caret); keep the first for a one-line error.
    String s = celMessage == null ? "" : celMessage.strip();
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).replaceFirst("^ERROR: <input>:", "at ");
  }

  private static CelCompiler compiler() {
    CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS);
    for (Variables v : Variables.values()) {
      b.addVar(v.celName, v.type);
    }
    return b.build();
  }
}
