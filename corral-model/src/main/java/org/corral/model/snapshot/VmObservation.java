package org.corral.model.snapshot;

import java.time.Instant;

/**
 * What the Monitor observed of one running VM: the data that VM-selection policies (minimum
 * utilisation, maximum correlation, minimum migration time) need.
 *
 * @param host       the host it was observed on
 * @param cpu        CPU utilisation of its own vCPUs per poll, 0..1 (domain CPU-time delta over
 *                   interval × vCPUs)
 * @param memoryMib  memory the domain had at the last poll
 * @param observedAt time of the last poll
 */
public record VmObservation(String host, Samples cpu, long memoryMib, Instant observedAt) {}
