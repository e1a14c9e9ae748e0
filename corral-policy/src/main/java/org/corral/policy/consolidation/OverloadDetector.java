package org.corral.policy.consolidation;

/**
 * Decides whether a host is overloaded from its load and history. Pure and stateless; one class
 * per published method, named as in the literature with its parameter, e.g. {@code iqr-1.5}.
 */
public interface OverloadDetector {
  /** The registry name with its parameter, e.g. "lr-1.2". */
  String name();

  Detection test(HostLoad load);
}
