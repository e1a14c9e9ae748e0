package org.corral.policy.consolidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each published detector against cases computed by hand (shared/reference/cloudsim-3.0.3.md §5.2). */
class OverloadDetectorsTest {
  /** 12 samples 0.30, 0.32, ..., 0.52: q1 = 0.34, q3 = 0.48 (IQR 0.14); median 0.41, MAD 0.06. */
  private static final double[] RAMP = {0.30, 0.32, 0.34, 0.36, 0.38, 0.40, 0.42, 0.44, 0.46, 0.48, 0.50, 0.52};

  private static HostLoad load(double demand, double... history) {
    return new HostLoad("h", demand, history, 100, 300);
  }

  private static double[] first(int n, double[] h) {
    return java.util.Arrays.copyOf(h, n);
  }

  @ParameterizedTest
  @CsvSource({"0.81, true", "0.80, false", "0.10, false"})
  void staticThreshold(double demand, boolean over) {
    Detection d = new StaticThreshold(0.8).test(load(demand));
    assertThat(d.overloaded()).isEqualTo(over);
    assertThat(d.reason()).contains("thr-0.8").contains("threshold 0.80");
  }

  @ParameterizedTest
  @CsvSource({"0.80, true", "0.78, false"})
  void interquartileRangeAdaptsTheThreshold(double demand, boolean over) {
    // threshold = 1 - 1.5 × (0.48 - 0.34) = 0.79
    Detection d = new InterquartileRange(1.5).test(load(demand, RAMP));
    assertThat(d.overloaded()).isEqualTo(over);
    assertThat(d.reason()).contains("threshold 0.79").contains("q1 0.34").contains("q3 0.48");
  }

  @ParameterizedTest
  @CsvSource({"0.86, true", "0.84, false"})
  void medianAbsoluteDeviationAdaptsTheThreshold(double demand, boolean over) {
    // threshold = 1 - 2.5 × 0.06 = 0.85
    Detection d = new MedianAbsoluteDeviation(2.5).test(load(demand, RAMP));
    assertThat(d.overloaded()).isEqualTo(over);
    assertThat(d.reason()).contains("threshold 0.85").contains("MAD 0.060");
  }

  @Test
  void withTooShortAHistoryTheAdaptiveOnesFallBackToAStaticSeventyPercent() {
    for (OverloadDetector d : new OverloadDetector[] {new InterquartileRange(1.5), new MedianAbsoluteDeviation(2.5)}) {
      assertThat(d.test(load(0.71, first(11, RAMP))).overloaded()).as(d.name()).isTrue();
      assertThat(d.test(load(0.69, first(11, RAMP))).overloaded()).as(d.name()).isFalse();
      assertThat(d.test(load(0.71, first(11, RAMP))).reason()).contains("needs 12 samples, has 11");
    }
    for (OverloadDetector d : new OverloadDetector[] {new LocalRegression(1.2, false), new LocalRegression(1.2, true)}) {
      assertThat(d.test(load(0.71, first(9, RAMP))).overloaded()).as(d.name()).isTrue();
      assertThat(d.test(load(0.69, first(9, RAMP))).overloaded()).as(d.name()).isFalse();
    }
  }

  private static double[] line(double a, double b) {
    double[] y = new double[10];
    for (int x = 1; x <= 10; x++) {
      y[x - 1] = a + b * x;
    }
    return y;
  }

  @Test
  void localRegressionPredictsOneMigrationAhead() {
    // y = 0.5 + 0.02x: at x* = 10 + ceil(100 s / 300 s) = 11, 0.72; × 1.2 = 0.864 < 1.
    Detection calm = new LocalRegression(1.2, false).test(load(0.7, line(0.5, 0.02)));
    assertThat(calm.overloaded()).isFalse();
    assertThat(calm.reason()).contains("predicted 0.72 in 300 s").contains("= 0.86 < 1");
    // y = 0.3 + 0.05x: 0.85 at x = 11; × 1.2 = 1.02 >= 1.
    assertThat(new LocalRegression(1.2, false).test(load(0.7, line(0.3, 0.05))).overloaded()).isTrue();
    // A longer migration looks further ahead: 700 s is 3 intervals, x* = 13: 0.5 + 0.26 = 0.76 → 0.912.
    HostLoad slow = new HostLoad("h", 0.7, line(0.5, 0.02), 700, 300);
    assertThat(new LocalRegression(1.2, false).test(slow).reason()).contains("predicted 0.76 in 900 s");
  }

  @Test
  void robustRegressionIsNotSwungByOneSpike() {
    // The ramp 0.5 + 0.02x with the newest sample spiking to 1.0.
    double[] spiky = line(0.5, 0.02);
    spiky[9] = 1.0;
    // OLS: slope 3/82.5, intercept 0.44: 0.84 at x = 11, × 1.2 = 1.008 → overloaded.
    Detection lr = new LocalRegression(1.2, false).test(load(0.7, spiky));
    assertThat(lr.overloaded()).isTrue();
    assertThat(lr.reason()).contains("predicted 0.84");
    // Bisquare IRLS gives the spike weight 0 and recovers the ramp: 0.72 → 0.864.
    Detection lrr = new LocalRegression(1.2, true).test(load(0.7, spiky));
    assertThat(lrr.overloaded()).isFalse();
    assertThat(lrr.reason()).contains("predicted 0.72").contains("lrr-1.2");
    double[] fit = LocalRegression.robustLine(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, spiky);
    assertThat(fit[0]).isCloseTo(0.5, offset(1e-9));
    assertThat(fit[1]).isCloseTo(0.02, offset(1e-9));
  }

  @Test
  void theRegistryKnowsEveryDetectorByItsPublishedName() {
    for (String name : new String[] {"thr-0.8", "iqr-1.5", "mad-2.5", "lr-1.2", "lrr-1.2", "THR-1.0"}) {
      assertThat(ConsolidationPolicies.detector("optimizer.detector", name).name()).isEqualTo(name.toLowerCase());
    }
    assertThatThrownBy(() -> ConsolidationPolicies.detector("optimizer.detector", "lr"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("optimizer.detector").hasMessageContaining("lr-1.2");
    assertThatThrownBy(() -> ConsolidationPolicies.detector("optimizer.detector", "thr-x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no number");
    assertThatThrownBy(() -> ConsolidationPolicies.detector("optimizer.detector", "thr-1.5"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("(0, 1]");
  }
}
