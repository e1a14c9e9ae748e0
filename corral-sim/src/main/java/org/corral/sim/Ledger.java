package org.corral.sim;

/**
 * The metrics' raw sums, kept as CloudSim's helper computes them from the history entries
 * (shared/reference/cloudsim-3.0.3.md §1.7, §6), without keeping the histories: each host and VM
 * keeps only its last entry; an entry at the same instant replaces it, a later one closes it and
 * adds its state over the time between the two. The last entry of each list adds nothing.
 * <ul>
 *   <li>SLATAH (pooled over hosts) = Σ [active][A &lt; R]·Δ / Σ [active]·Δ, active meaning A &gt; 0;</li>
 *   <li>PDM (pooled over VMs) = Σ [migrating][a &lt; r]·(r − a)·Δ / Σ r·Δ;</li>
 *   <li>host shutdowns: transitions from active to inactive (the state before the first entry
 *       counts as active), each with the time since the host last became active (0 if never).</li>
 * </ul>
 * Energy is added per host and in total, so that the run can check that the two agree.
 */
final class Ledger {
  private final double[] hostT;
  private final double[] hostA;
  private final double[] hostR;
  private final boolean[] hostSeen;
  private final boolean[] wasActive;
  private final double[] activeSince;
  private final double[] vmT;
  private final double[] vmShare;
  private final double[] vmRequest;
  private final boolean[] vmMigrating;
  private final boolean[] vmSeen;
  private final double[] hostJoules;
  private double joules;
  private double activeTime;
  private double violationTime;
  private double degradation;
  private double requested;
  private long shutdowns;
  private double shutdownTimes;

  Ledger(int hosts, int vms) {
    hostT = new double[hosts];
    hostA = new double[hosts];
    hostR = new double[hosts];
    hostSeen = new boolean[hosts];
    wasActive = new boolean[hosts];
    java.util.Arrays.fill(wasActive, true);
    activeSince = new double[hosts];
    hostJoules = new double[hosts];
    vmT = new double[vms];
    vmShare = new double[vms];
    vmRequest = new double[vms];
    vmMigrating = new boolean[vms];
    vmSeen = new boolean[vms];
  }

  /** Host {@code h}'s entry at {@code t}: allocated MIPS {@code a}, requested MIPS {@code r}. */
  void host(int h, double t, double a, double r) {
    if (hostSeen[h] && hostT[h] != t) {
      closeHost(h, t - hostT[h]);
    }
    hostSeen[h] = true;
    hostT[h] = t;
    hostA[h] = a;
    hostR[h] = r;
  }

  private void closeHost(int h, double dt) {
    boolean active = hostA[h] > 0;
    if (active) {
      activeTime += dt;
      if (hostA[h] < hostR[h]) {
        violationTime += dt;
      }
    }
    if (wasActive[h] && !active) {
      shutdowns++;
      shutdownTimes += hostT[h] - activeSince[h];
    } else if (!wasActive[h] && active) {
      activeSince[h] = hostT[h];
    }
    wasActive[h] = active;
  }

  /** VM {@code v}'s entry at {@code t}: its share and request (MIPS), and whether it is migrating. */
  void vm(int v, double t, double share, double request, boolean migrating) {
    if (vmSeen[v] && vmT[v] != t) {
      double dt = t - vmT[v];
      requested += vmRequest[v] * dt;
      if (vmMigrating[v] && vmShare[v] < vmRequest[v]) {
        degradation += (vmRequest[v] - vmShare[v]) * dt;
      }
    }
    vmSeen[v] = true;
    vmT[v] = t;
    vmShare[v] = share;
    vmRequest[v] = request;
    vmMigrating[v] = migrating;
  }

  void energy(int h, double j) {
    hostJoules[h] += j;
  }

  /** The step's total, added once, beside the per-host sums. */
  void totalEnergy(double j) {
    joules += j;
  }

  /** Ends the histories: the last entries add no time, but a last shutdown still counts. */
  void close() {
    for (int h = 0; h < hostSeen.length; h++) {
      if (hostSeen[h]) {
        closeHost(h, 0);
        hostSeen[h] = false;
      }
    }
    java.util.Arrays.fill(vmSeen, false);
  }

  double joules() {
    return joules;
  }

  double hostJoules(int h) {
    return hostJoules[h];
  }

  double slatah() {
    return activeTime == 0 ? 0 : violationTime / activeTime;
  }

  double pdm() {
    return requested == 0 ? 0 : degradation / requested;
  }

  long shutdowns() {
    return shutdowns;
  }

  /** Mean time before a host shutdown, in seconds (NaN when none). */
  double meanTimeBeforeShutdown() {
    return shutdowns == 0 ? Double.NaN : shutdownTimes / shutdowns;
  }
}
