package org.corral.controller.notify;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Origin;

/**
 * One thing people are told about.
 *
 * @param event   what happened: one of {@link #EVENTS}
 * @param at      when it was journaled
 * @param seq     its journal sequence number (a receiver can drop a duplicate delivery by it)
 * @param subject the host or VM concerned ("guardian" for a note)
 * @param message the journal's sentence, with the reason
 */
public record Notification(String event, Instant at, long seq, String subject, String message) {
  public static final String HOST_DOWN = "host.down";
  public static final String HOST_FENCED = "host.fenced";
  public static final String FENCING_FAILED = "host.fencing-failed";
  public static final String SOFT_FENCED = "host.soft-fenced";
  public static final String SOFT_FENCING_FAILED = "host.soft-fencing-failed";
  public static final String VM_RECOVERING = "vm.recovering";
  public static final String VM_GIVEN_UP = "vm.given-up";
  public static final String ESCALATION = "guardian.escalation";

  /** Every event a channel may ask for. */
  public static final Set<String> EVENTS = Set.of(HOST_DOWN, HOST_FENCED, FENCING_FAILED, SOFT_FENCED, SOFT_FENCING_FAILED, VM_RECOVERING, VM_GIVEN_UP, ESCALATION);

  /**
   * The notification a journal entry makes, if any: a host found DOWN, fenced, or whose fencing
   * failed; a host whose hypervisor was restarted (soft fencing), with either outcome; a VM the Guardian restarts (in place or elsewhere) or gives up (FAILED); and what the
   * Guardian waits on an administrator for (a host it cannot prove off, a VM with no room).
   */
  public static Optional<Notification> of(JournalEntry e) {
    String event = eventOf(e);
    return event == null ? Optional.empty() : Optional.of(new Notification(event, e.at(), e.seq(), e.subject(), e.message()));
  }

  private static @org.jspecify.annotations.Nullable String eventOf(JournalEntry e) {
    boolean byGuardian = e.cause() != null && e.cause().origin() == Origin.GUARDIAN;
    if (e.kind() == EntryKind.GUARDIAN_NOTE) {
      return ESCALATION;
    }
    if (e.actionKey() != null && e.actionKey().startsWith(org.corral.policy.recovery.Recovery.SOFT_FENCE)) {
      return switch (e.kind()) {
        case ACTION_SUCCEEDED -> SOFT_FENCED;
        case ACTION_FAILED -> SOFT_FENCING_FAILED;
        default -> null;
      };
    }
    if (e.kind() != EntryKind.STATE_CHANGED || e.to() == null) {
      return null;
    }
    if (e.subjectKind() == SubjectKind.HOST) {
      return switch (e.to()) {
        case "DOWN" -> "FENCING".equals(e.from()) ? FENCING_FAILED : HOST_DOWN;
        case "FENCED" -> HOST_FENCED;
        default -> null;
      };
    }
    if (e.subjectKind() == SubjectKind.VM && byGuardian) {
      return switch (e.to()) {
        case "FAILED" -> VM_GIVEN_UP;
        case "RECOVERING" -> VM_RECOVERING; // restarted elsewhere (RecoverVm)
        case "BOOTING" -> "STOPPED".equals(e.from()) ? VM_RECOVERING : null; // restarted in place after it stopped on its own
        default -> null;
      };
    }
    return null;
  }

  /** The JSON body a webhook receives. */
  public String toJson() {
    com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
    o.put("event", event).put("at", at.toString()).put("seq", seq).put("subject", subject).put("message", message);
    return o.toString();
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
