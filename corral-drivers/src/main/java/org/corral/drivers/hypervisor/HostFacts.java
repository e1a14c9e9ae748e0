package org.corral.drivers.hypervisor;

/**
 * What a hypervisor says about its host.
 *
 * @param hypervisor type as libvirt names it: QEMU, Xen, Test, Sim
 * @param cores      logical CPUs available to domains
 * @param mhz        speed of one CPU
 */
public record HostFacts(String hostname, String hypervisor, long hypervisorVersion, int cores, int mhz, long memoryMib, String cpuModel) {}
