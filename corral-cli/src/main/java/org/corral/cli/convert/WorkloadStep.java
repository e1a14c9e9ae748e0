package org.corral.cli.convert;

/**
 * From {@code atSeconds} after the workload is set, the VM runs at {@code utilisation} (0..1).
 * Field names match the API's {@code steps} items.
 */
public record WorkloadStep(long atSeconds, double utilisation) {}
