package org.corral.model.vm;

/** An IP/MAC pair leased to one NIC of one VM. */
public record NicLease(String network, String ip, String mac) {}
