package org.corral.sim.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.corral.model.InvalidInputException;

/**
 * A synthetic day for scale runs: {@code vms} VMs of {@value #SAMPLES} five-minute samples, drawn
 * from a seed (the same seed, the same trace). Shaped like a PlanetLab day without copying one:
 * each VM has its own mean level (exponential, mean {@value #MEAN_LEVEL}, most VMs nearly idle and
 * a few busy), a daily wave of its own amplitude and phase, and autocorrelated noise (AR(1));
 * samples are whole percents in 0..99, as PlanetLab's are.
 */
public final class SyntheticTrace {
  /** A day of five-minute samples. */
  public static final int SAMPLES = 288;
  public static final int INTERVAL_SECONDS = 300;
  static final double MEAN_LEVEL = 0.15;
  private static final double NOISE = 0.06;
  private static final double MEMORY = 0.8;

  private SyntheticTrace() {}

  /** {@code vms} VMs from {@code seed}; named {@code syn00000}, … in trace order. */
  public static Trace generate(int vms, long seed) {
    if (vms < 1) {
      throw new InvalidInputException("synthetic", "must be at least 1 VM, got " + vms, "e.g. --synthetic 20000");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int digits = Math.max(5, String.valueOf(vms - 1).length());
    List<String> names = new ArrayList<>(vms);
    List<double[]> utilisation = new ArrayList<>(vms);
    for (int v = 0; v < vms; v++) {
      SplittableRandom r = random.split(); // one stream per VM: a VM's samples do not depend on the others'
      double level = Math.min(0.9, -Math.log(1 - r.nextDouble()) * MEAN_LEVEL);
      double amplitude = r.nextDouble() * level;
      double phase = r.nextDouble() * 2 * Math.PI;
      double noise = 0;
      double[] samples = new double[SAMPLES];
      for (int k = 0; k < SAMPLES; k++) {
        noise = MEMORY * noise + r.nextGaussian() * NOISE;
        double u = level + amplitude * Math.sin(2 * Math.PI * k / SAMPLES + phase) + noise;
        samples[k] = Math.floor(Math.max(0, Math.min(0.99, u)) * 100) / 100; // whole percents, as PlanetLab
      }
      names.add(String.format(Locale.ROOT, "syn%0" + digits + "d", v));
      utilisation.add(samples);
    }
    return new Trace(String.format(Locale.ROOT, "synthetic (%d VMs, seed %d)", vms, seed), names, utilisation, INTERVAL_SECONDS);
  }
}
