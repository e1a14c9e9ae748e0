package org.corral.drivers.hypervisor;

/** Progress of a live migration: bytes of memory copied out of the total. */
public record MigrationProgress(long processedBytes, long totalBytes) {
  public double fraction() {
    return totalBytes <= 0 ? 0 : Math.min(1, (double) processedBytes / totalBytes);
  }
}
