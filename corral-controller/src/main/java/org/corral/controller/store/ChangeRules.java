package org.corral.controller.store;

import java.util.List;
import org.corral.controller.store.Changes.Change;
import org.corral.model.InvalidInputException;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.ActionRecord;

/**
 * What every {@link Store} requires of a batch before it applies any of it, so that both stores
 * reject the same batches with the same messages and a rejected batch changes nothing. Checks
 * only what the store needs to store a change, never whether the change is a good idea.
 */
final class ChangeRules {
  /** Longest meta key; the JDBC store's column is this wide. */
  static final int MAX_META_KEY = 200;

  private ChangeRules() {}

  /** Returns the batch's changes or throws naming the first bad one, e.g. {@code changes[2].entry.kind}. */
  static List<Change> check(Changes changes) {
    if (changes == null) {
      throw new InvalidInputException("changes", "is null", "pass an empty Changes to write nothing");
    }
    List<Change> list = changes.list();
    for (int i = 0; i < list.size(); i++) {
      check("changes[" + i + "]", list.get(i));
    }
    return list;
  }

  private static void check(String field, Change change) {
    switch (change) {
      case Change.PutHost c -> present(field + ".host", c.host());
      case Change.PutVm c -> present(field + ".vm", c.vm());
      case Change.PutNetwork c -> present(field + ".network", c.network());
      case Change.PutImage c -> present(field + ".image", c.image());
      case Change.DeleteHost c -> present(field + ".name", c.name());
      case Change.DeleteVm c -> present(field + ".name", c.name());
      case Change.DeleteNetwork c -> present(field + ".name", c.name());
      case Change.DeleteImage c -> present(field + ".name", c.name());
      case Change.PutAction c -> checkAction(field + ".action", c.action());
      case Change.PutMeta c -> checkMeta(field, c.key(), c.value());
      case Change.DeleteMeta c -> present(field + ".key", c.key());
      case Change.PutUser c -> present(field + ".user", c.user());
      case Change.DeleteUser c -> present(field + ".name", c.name());
      case Change.PutGroup c -> present(field + ".group", c.group());
      case Change.PutToken c -> present(field + ".token", c.token());
      case Change.DeleteToken c -> present(field + ".id", c.id());
      case Change.PutAccessKey c -> present(field + ".key", c.key());
      case Change.DeleteAccessKey c -> present(field + ".id", c.id());
      case Change.PutKeyPair c -> present(field + ".keyPair", c.keyPair());
      case Change.DeleteKeyPair c -> present(field + ".id", c.id());
      case Change.Append c -> checkEntry(field + ".entry", c.entry());
    }
  }

  private static void checkAction(String field, ActionRecord record) {
    present(field, record);
    present(field + ".action", record.action());
    String key = record.action().key();
    if (key == null || key.isBlank()) {
      throw new InvalidInputException(field + ".action.key", "is missing", "give every action an idempotency key");
    }
    present(field + ".status", record.status());
    present(field + ".created", record.created());
  }

  private static void checkMeta(String field, String key, String value) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException(field + ".key", "is missing", "name the setting, e.g. root-seed");
    }
    if (key.length() > MAX_META_KEY) {
      throw new InvalidInputException(field + ".key", "is " + key.length() + " characters long",
          "use at most " + MAX_META_KEY + " characters");
    }
    present(field + ".value", value);
  }

  private static void checkEntry(String field, JournalEntry entry) {
    present(field, entry);
    if (entry.seq() != 0) {
      throw new InvalidInputException(field + ".seq", "is " + entry.seq() + " but the store assigns it",
          "append entries with seq 0; an entry with a seq has been appended already");
    }
    present(field + ".at", entry.at());
    present(field + ".kind", entry.kind());
    present(field + ".subjectKind", entry.subjectKind());
    if (entry.cause() != null) {
      present(field + ".cause.origin", entry.cause().origin());
    }
  }

  private static void present(String field, Object value) {
    if (value == null) {
      throw new InvalidInputException(field, "is missing", "the store cannot record a change without it");
    }
  }
}
