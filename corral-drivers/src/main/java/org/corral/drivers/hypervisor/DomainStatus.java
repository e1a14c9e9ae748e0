package org.corral.drivers.hypervisor;

/**
 * One domain as observed.
 *
 * @param persistent  true when defined (survives shutdown), false for transient domains
 * @param cpuTimeNanos cumulative CPU time used by the domain
 * @param memoryMib   current memory
 */
public record DomainStatus(String name, String uuid, DomainState state, boolean persistent, int vcpus, long memoryMib, long cpuTimeNanos) {}
