package org.corral.model.vm;

/** A network interface on a named network; its IP and MAC come from the network's pool. */
public record NicSpec(String network) {}
