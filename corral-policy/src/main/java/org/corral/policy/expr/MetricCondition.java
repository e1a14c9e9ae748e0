package org.corral.policy.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.corral.model.InvalidInputException;
import org.corral.model.cluster.ElasticitySpec;

/**
 * A bool CEL expression over a cluster role's metrics ({@code cpu.mean > 0.8 && queue.max > 10}):
 * each metric declares {@code NAME.mean}, {@code NAME.min}, {@code NAME.max} and {@code NAME.sum}
 * as doubles, so an unknown metric or aggregate fails to compile. Immutable; compiled forms are
 * memoised (a pure memo, bounded).
 */
public final class MetricCondition {
  private static final int MAX_CACHED = 1024;
  private static final Map<Key, MetricCondition> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, MetricCondition> eldest) {
      return size() > MAX_CACHED;
    }
  };

  private final String source;
  private final CelRuntime.Program program;

  private MetricCondition(String source, CelRuntime.Program program) {
    this.source = source;
    this.program = program;
  }

  /**
   * Compiles {@code expr} over {@code metrics}; throws {@link InvalidInputException} naming
   * {@code field}, the metrics known and an example, unless it compiles to a bool.
   */
  public static MetricCondition compile(String field, String expr, Set<String> metrics) {
    Key key = new Key(expr, new TreeSet<>(metrics));
    synchronized (CACHE) {
      MetricCondition hit = CACHE.get(key);
      if (hit != null) {
        return hit;
      }
    }
    CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder().setOptions(Expressions.OPTIONS);
    for (String v : variables(key.metrics())) {
      b.addVar(v, SimpleType.DOUBLE);
    }
    String fix = "write a bool over " + String.join(", ", key.metrics()) + " with ." + String.join(" .", ElasticitySpec.AGGREGATES)
        + " (doubles: compare with == as in queue.max == 0.0), e.g. \"cpu.mean > 0.8\" or \"queue.max > 10\"; declare other metrics under the role's metrics:";
    CelValidationResult result = b.build().compile(expr);
    if (result.hasError()) {
      throw new InvalidInputException(field, "does not compile: " + Expressions.oneLine(result.getErrorString()), fix);
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (CelValidationException e) {
      throw new InvalidInputException(field, "does not compile: " + Expressions.oneLine(e.getMessage()), fix);
    }
    if (ast.getResultType().kind() != CelKind.BOOL) {
      throw new InvalidInputException(field, "has type " + ast.getResultType().name() + " but must be bool", fix);
    }
    MetricCondition c;
    try {
      c = new MetricCondition(expr, Expressions.RUNTIME.createProgram(ast));
    } catch (CelEvaluationException e) {
      throw new InvalidInputException(field, "cannot be prepared: " + Expressions.oneLine(e.getMessage()), fix);
    }
    synchronized (CACHE) {
      CACHE.put(key, c);
    }
    return c;
  }

  /** Every variable the metrics declare: cpu.mean, cpu.min, ... */
  public static SortedSet<String> variables(Set<String> metrics) {
    SortedSet<String> out = new TreeSet<>();
    for (String m : metrics) {
      for (String a : ElasticitySpec.AGGREGATES) {
        out.add(m + "." + a);
      }
    }
    return out;
  }

  /**
   * Evaluates over {@code values} (variable → value, as {@link #variables} names them).
   *
   * @return empty when a variable it reads has no value (no sample this period) or evaluation fails
   */
  public Optional<Boolean> test(Map<String, Double> values) {
    try {
      Object v = program.eval(name -> Optional.ofNullable(values.get(name)));
      return v instanceof Boolean b ? Optional.of(b) : Optional.empty();
    } catch (CelEvaluationException e) {
      return Optional.empty();
    }
  }

  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  private record Key(String expr, SortedSet<String> metrics) {}
}
