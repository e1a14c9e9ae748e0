package org.corral.model.snapshot;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.Map;

/**
 * What the Monitor observed of one host, with no judgement in it: when its hypervisor last
 * answered, how many polls in a row went unanswered and why, and the utilisation histories.
 * Liveness (UP, SUSPECT, DOWN, ERROR) is judged from this by a pure policy.
 *
 * @param lastAnswer      when the hypervisor last answered, or null if never since the controller started
 * @param answers         answered polls since the controller started
 * @param silentPolls     liveness beats in a row with no answer (0 after an answer)
 * @param lastError       why the last poll failed, or null when it answered
 * @param configError     true when that failure cannot heal by itself (wrong credentials, bad URI)
 * @param cpu             host CPU utilisation per poll, 0..1 (domain CPU time over interval × cores)
 * @param memory          host memory utilisation per poll, 0..1 (domains' memory over capacity)
 * @param metrics         the windowed summary the scheduler and the API read
 * @param vms             what was observed of each VM running there, by name (kept with its host so
 *                        a poll replaces one small map instead of touching a global one per VM)
 * @param observedAt      time of the last poll's outcome
 * @param leases          what the shared storage said of its storage leases at the last full poll
 *                        that could tell (kept through beats and failed reads)
 */
public record HostObservation(@Nullable Instant lastAnswer, int answers, int silentPolls, @Nullable String lastError, boolean configError, Samples cpu,
    Samples memory, HostMetrics metrics, Map<String, VmObservation> vms, Instant observedAt, StorageLeases leases) {

  public HostObservation {
    vms = Map.copyOf(vms);
  }

  /** Leases not (yet) known. */
  public HostObservation(@Nullable Instant lastAnswer, int answers, int silentPolls, @Nullable String lastError, boolean configError,
      Samples cpu, Samples memory, HostMetrics metrics, Map<String, VmObservation> vms, Instant observedAt) {
    this(lastAnswer, answers, silentPolls, lastError, configError, cpu, memory, metrics, vms, observedAt, StorageLeases.UNKNOWN);
  }

  /** This observation with what the shared storage says of the host's leases. */
  public HostObservation withLeases(StorageLeases l) {
    return new HostObservation(lastAnswer, answers, silentPolls, lastError, configError, cpu, memory, metrics, vms, observedAt, l);
  }

  /** True when the host answers but cannot hold storage leases: its path to the shared storage is lost. */
  public boolean storageLost() {
    return leases == StorageLeases.EXPIRED;
  }

  /** Nothing observed yet. */
  public static HostObservation none(int historyCapacity) {
    Samples empty = Samples.empty(historyCapacity);
    return new HostObservation(null, 0, 0, null, false, empty, empty, HostMetrics.NONE, Map.of(), Instant.EPOCH);
  }

  /** A host that answered at {@code at} with {@code metrics} (fixtures, simulations). */
  public static HostObservation answeredAt(Instant at, HostMetrics metrics) {
    Samples empty = Samples.empty(Samples.DEFAULT_CAPACITY);
    return new HostObservation(at, 1, 0, null, false, empty, empty, metrics, Map.of(), at);
  }

  /** True once the hypervisor has answered since the controller started: a host never checked is not placeable. */
  public boolean answered() {
    return lastAnswer != null;
  }

  /** True when the last poll failed. */
  public boolean failing() {
    return lastError != null;
  }

  /** After an answer: silence and error cleared, histories, summary and VM observations replaced. */
  public HostObservation answered(Instant at, Samples cpu, Samples memory, HostMetrics metrics, Map<String, VmObservation> vms) {
    return new HostObservation(at, answers + 1, 0, null, false, cpu, memory, metrics, vms, at, leases);
  }

  /** After a beat (the Monitor's cheap liveness read) answered: silence and error cleared, histories kept. */
  public HostObservation beat(Instant at) {
    return new HostObservation(at, answers + 1, 0, null, false, cpu, memory, metrics, vms, at, leases);
  }

  /** After a read that failed: its reason; the beats missed are counted by {@link #silent}. */
  public HostObservation failed(Instant at, String error, boolean isConfigError) {
    return new HostObservation(lastAnswer, answers, silentPolls, error, isConfigError, cpu, memory, metrics, vms, at, leases);
  }

  /** A missed beat that starts a new count (the misses before it were not in a row). */
  public HostObservation firstSilent(Instant at, String error, boolean isConfigError) {
    return new HostObservation(lastAnswer, answers, 1, error, isConfigError, cpu, memory, metrics, vms, at, leases);
  }

  /** After a beat with no answer: one more missed beat, with its reason. */
  public HostObservation silent(Instant at, String error, boolean isConfigError) {
    return new HostObservation(lastAnswer, answers, silentPolls + 1, error, isConfigError, cpu, memory, metrics, vms, at, leases);
  }
}
