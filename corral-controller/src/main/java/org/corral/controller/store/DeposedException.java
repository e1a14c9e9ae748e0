package org.corral.controller.store;

/**
 * A write refused because its controller no longer holds the leader lease with the epoch it was
 * elected with: another controller leads now, and nothing of the batch was applied.
 */
public final class DeposedException extends StoreException {
  public DeposedException(String holder, long epoch) {
    super("write refused: controller " + holder + " no longer leads with epoch " + epoch
        + " (another controller took the lease); nothing of the batch was applied; this controller stops acting and follows");
  }
}
