package org.corral.model;

/**
 * A request that is well formed but not possible in the current state (migrate a stopped VM,
 * delete a host that still has VMs, create a VM whose name is taken).
 */
public sealed class ConflictException extends CorralException permits IllegalTransitionException, QuotaExceededException {
  public ConflictException(String message) {
    super(message);
  }

  @Override
  public String problemType() {
    return "conflict";
  }
}
