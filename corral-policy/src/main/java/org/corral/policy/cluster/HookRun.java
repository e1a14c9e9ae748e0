package org.corral.policy.cluster;

import java.time.Duration;
import java.util.List;
import org.corral.model.cluster.HookEvent;

/**
 * One hook to run now: {@code command} (rendered) in the guest of VM {@code target}; {@code member}
 * is the member the event is about. The key names the run (event, role, hook, the member's and the
 * target's incarnations), so it runs once per pair of VMs however often the policy is asked.
 * {@code guest} is the spec's guest-exec URI rendered for the target, or null for the default transport.
 */
public record HookRun(String key, HookEvent event, String role, int hook, String member, String target, List<String> command,
    Duration timeout, int retries, Duration backoff, @org.jspecify.annotations.Nullable String guest) {
  public HookRun {
    command = List.copyOf(command);
  }
}
