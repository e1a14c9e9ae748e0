package org.corral.drivers.guest;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Runs a command inside a VM, as an argument list (never a shell string). */
public interface GuestExec {
  /** Transports handled: {@code ssh}, {@code qemu-ga}, {@code sim}. */
  Set<String> schemes();

  /**
   * @param targetUri e.g. {@code ssh://root@192.168.100.10:22} or {@code qemu-ga://<host uri>#<domain>}
   */
  CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout);

  /**
   * A heartbeat: completes when the guest answers at all (the QEMU guest agent's
   * {@code guest-ping}), fails when it does not within {@code timeout}, or later where the
   * transport takes longer to tell (libvirt: 5 s for a hung agent); the stage completes when the
   * call is over, so that a caller can keep one call at a time. The default runs {@code true} in
   * the guest, for transports that have no cheaper call.
   */
  default CompletionStage<Void> ping(String targetUri, Duration timeout) {
    return exec(targetUri, List.of("true"), timeout).thenApply(r -> null);
  }
}
