package org.corral.policy.expr;

import java.util.Map;

/**
 * The values an expression can read, one accessor per declared variable. The scheduler
 * implements this over its working arrays so that evaluating an expression allocates no map.
 * Integers are {@code long} because CEL's {@code int} is 64-bit.
 */
public interface ExpressionInputs {
  String hostName();

  Map<String, String> hostLabels();

  long hostCores();

  long hostMhzPerCore();

  long hostMemoryMib();

  /** vCPUs still schedulable (cores × overcommit minus reserved); may be fractional. */
  double hostFreeCpus();

  long hostFreeMemoryMib();

  /** Measured CPU utilisation, 0..1; 0 when the Monitor has no samples yet. */
  double hostCpuUtilisation();

  /** VMs holding resources on the host, including those placed earlier in the same call. */
  long hostVms();

  String hostState();

  String vmName();

  long vmCpus();

  long vmMemoryMib();

  Map<String, String> vmLabels();
}
