package org.corral.policy.consolidation;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import org.corral.model.InvalidInputException;

/**
 * The registry: every detector and selector by name, by hand (no classpath scanning), failing
 * fast on an unknown name with the list of known ones. A detector's parameter is part of its
 * name, as in the literature: {@code thr-0.8}, {@code iqr-1.5}, {@code mad-2.5}, {@code lr-1.2},
 * {@code lrr-1.2}.
 */
public final class ConsolidationPolicies {
  private record Family(String prefix, DoubleFunction<OverloadDetector> make) {}

  private static final List<Family> DETECTORS = List.of(
      new Family("thr", StaticThreshold::new),
      new Family("iqr", InterquartileRange::new),
      new Family("mad", MedianAbsoluteDeviation::new),
      new Family("lr", s -> new LocalRegression(s, false)),
      new Family("lrr", s -> new LocalRegression(s, true)));

  private static final List<VmSelector> SELECTORS = List.of(new MinimumMigrationTime(), new MinimumUtilisation(),
      new MaximumCorrelation(), new RandomSelection(), new SecondMostLoaded());

  private ConsolidationPolicies() {}

  /**
   * The overload detector named {@code name}, e.g. "lr-1.2".
   *
   * @param field the configuration field, for the error
   * @throws InvalidInputException naming the field and the known names when unknown or malformed
   */
  public static OverloadDetector detector(String field, String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    int dash = n.lastIndexOf('-');
    String fix = "use one of thr-<threshold>, iqr-<s>, mad-<s>, lr-<s>, lrr-<s>, e.g. lr-1.2";
    if (dash > 0) {
      for (Family f : DETECTORS) {
        if (f.prefix().equals(n.substring(0, dash))) {
          try {
            return f.make().apply(Double.parseDouble(n.substring(dash + 1)));
          } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "'" + name + "' has no number after '" + f.prefix() + "-'", fix);
          } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "'" + name + "': " + e.getMessage(), fix);
          }
        }
      }
    }
    throw new InvalidInputException(field, "'" + name + "' is not an overload detector", fix);
  }

  /**
   * The VM selector named {@code name}: mmt, mu, mc, rs or second-most-loaded.
   *
   * @throws InvalidInputException naming the field and the known names when unknown
   */
  public static VmSelector selector(String field, String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (VmSelector s : SELECTORS) {
      if (s.name().equals(n)) {
        return s;
      }
    }
    throw new InvalidInputException(field, "'" + name + "' is not a VM selection policy",
        "use one of " + SELECTORS.stream().map(VmSelector::name).toList());
  }

  /** A detector and a selector, as the literature names the pair. */
  public record Pair(OverloadDetector detector, VmSelector selector) {
    /** The published name, e.g. "lr-mmt-1.2". */
    public String name() {
      String d = detector.name();
      int dash = d.lastIndexOf('-');
      return d.substring(0, dash) + "-" + selector.name() + d.substring(dash);
    }
  }

  /**
   * The policy named as in the literature, {@code <detector>-<selector>-<parameter>}: e.g.
   * "lr-mmt-1.2" is LR(1.2) with MMT, "thr-mmt-0.8" THR(0.8) with MMT, "iqr-mc-1.5" IQR(1.5) with MC.
   *
   * @throws InvalidInputException naming the field and the known names when unknown or malformed
   */
  public static Pair pair(String field, String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    int first = n.indexOf('-');
    int last = n.lastIndexOf('-');
    if (first <= 0 || last <= first + 1) {
      throw new InvalidInputException(field, "'" + name + "' is not a policy name",
          "write <detector>-<selector>-<parameter>, e.g. lr-mmt-1.2, thr-mmt-0.8, iqr-mmt-1.5, mad-mmt-2.5");
    }
    return new Pair(detector(field, n.substring(0, first) + n.substring(last)), selector(field, n.substring(first + 1, last)));
  }
}
