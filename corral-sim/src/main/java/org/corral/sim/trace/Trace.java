package org.corral.sim.trace;

import java.util.List;
import java.util.Objects;
import org.corral.model.InvalidInputException;

/**
 * A workload: for each VM, in the order that decides its position (and so, in the cloudsim
 * preset, its type), the CPU utilisation it asks for at each sample, as a fraction of its own
 * CPU (0..1), one sample every {@code intervalSeconds}.
 *
 * @param source          where it was read from (for reports)
 * @param vms             the VMs' names, in trace order
 * @param utilisation     per VM, its samples (all of one length)
 * @param intervalSeconds the time between two samples
 */
public record Trace(String source, List<String> vms, List<double[]> utilisation, int intervalSeconds) {
  public Trace {
    Objects.requireNonNull(source, "source");
    vms = List.copyOf(vms);
    utilisation = List.copyOf(utilisation);
    if (vms.isEmpty()) {
      throw new InvalidInputException("trace", source + " holds no VM", "give a folder or file with at least one VM's samples");
    }
    if (vms.size() != utilisation.size()) {
      throw new IllegalArgumentException(vms.size() + " names for " + utilisation.size() + " series");
    }
    if (intervalSeconds < 1) {
      throw new InvalidInputException("trace.interval", "must be at least 1 s, got " + intervalSeconds, "e.g. 300");
    }
    int n = utilisation.getFirst().length;
    for (int i = 0; i < utilisation.size(); i++) {
      if (utilisation.get(i).length != n || n < 2) {
        throw new InvalidInputException("trace", vms.get(i) + " has " + utilisation.get(i).length + " samples where the first VM has "
            + n, "give every VM the same number of samples, at least 2");
      }
    }
  }

  /** A folder is read as PlanetLab ({@link PlanetLabReader}), a file as CSV ({@link CsvTraceReader}). */
  public static Trace read(java.nio.file.Path path) {
    return java.nio.file.Files.isDirectory(path) ? PlanetLabReader.read(path) : CsvTraceReader.read(path);
  }

  /** Samples per VM. */
  public int samples() {
    return utilisation.getFirst().length;
  }

  /** The number of VMs. */
  public int size() {
    return vms.size();
  }

  /** Sample {@code k} of VM {@code i}, a fraction of its CPU. */
  public double at(int i, int k) {
    return utilisation.get(i)[k];
  }
}
