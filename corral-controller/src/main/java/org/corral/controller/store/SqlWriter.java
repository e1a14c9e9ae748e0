package org.corral.controller.store;

import java.util.ArrayList;
import java.util.List;
import org.corral.controller.store.Changes.Change;
import org.corral.model.auth.ApiToken;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.journal.JournalEntry;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.Cause;
import org.corral.model.vm.Vm;
import org.jdbi.v3.core.Handle;

/**
 * Applies validated changes to the tables, inside the caller's transaction. A put is an UPDATE
 * followed by an INSERT when no row matched: portable between H2 and PostgreSQL, and safe because
 * the store serializes its writes.
 */
final class SqlWriter {
  private final RecordJson json;

  SqlWriter(RecordJson json) {
    this.json = json;
  }

  /** Applies {@code changes} in order; journal entries get seq lastSeq+1, lastSeq+2, ... */
  List<JournalEntry> apply(Handle h, List<Change> changes, long lastSeq) {
    List<JournalEntry> appended = new ArrayList<>();
    for (Change change : changes) {
      switch (change) {
        case Change.PutHost c -> putHost(h, c.host());
        case Change.DeleteHost c -> delete(h, "hosts", "name", c.name());
        case Change.PutVm c -> putVm(h, c.vm());
        case Change.DeleteVm c -> delete(h, "vms", "name", c.name());
        case Change.PutNetwork c -> putCounted(h, "networks", c.network().name(), json.write(c.network()));
        case Change.DeleteNetwork c -> delete(h, "networks", "name", c.name());
        case Change.PutImage c -> putCounted(h, "images", c.image().name(), json.write(c.image()));
        case Change.DeleteImage c -> delete(h, "images", "name", c.name());
        case Change.PutAction c -> putAction(h, c.action());
        case Change.PutMeta c -> putMeta(h, c.key(), c.value());
        case Change.PutUser c -> putDocument(h, "users", "name", c.user().name(), json.write(c.user()));
        case Change.DeleteUser c -> {
          delete(h, "api_tokens", "user_name", c.name());
          delete(h, "users", "name", c.name());
        }
        case Change.PutGroup c -> putDocument(h, "user_groups", "name", c.group().name(), json.write(c.group()));
        case Change.PutToken c -> putToken(h, c.token());
        case Change.DeleteToken c -> delete(h, "api_tokens", "id", c.id());
        case Change.Append c -> appended.add(append(h, c.entry().withSeq(lastSeq + appended.size() + 1)));
      }
    }
    return appended;
  }

  private void putHost(Handle h, Host host) {
    String doc = json.write(host);
    String state = host.state() == null ? null : host.state().name();
    int updated = h.createUpdate("UPDATE hosts SET version = :version, state = :state, json = :json WHERE name = :name")
        .bind("name", host.name()).bind("version", host.version()).bind("state", state).bind("json", doc)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO hosts (name, version, state, json) VALUES (:name, :version, :state, :json)")
          .bind("name", host.name()).bind("version", host.version()).bind("state", state).bind("json", doc)
          .execute();
    }
  }

  private void putVm(Handle h, Vm vm) {
    String doc = json.write(vm);
    String state = vm.state() == null ? null : vm.state().name();
    int updated = h.createUpdate("UPDATE vms SET version = :version, state = :state, host = :host, json = :json WHERE name = :name")
        .bind("name", vm.name()).bind("version", vm.version()).bind("state", state).bind("host", vm.host()).bind("json", doc)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO vms (name, version, state, host, json) VALUES (:name, :version, :state, :host, :json)")
          .bind("name", vm.name()).bind("version", vm.version()).bind("state", state).bind("host", vm.host()).bind("json", doc)
          .execute();
    }
  }

  /** Networks and images have no version of their own; the row counts its puts from 1. */
  private static void putCounted(Handle h, String table, String name, String doc) {
    int updated = h.createUpdate("UPDATE " + table + " SET version = version + 1, json = :json WHERE name = :name")
        .bind("name", name).bind("json", doc)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO " + table + " (name, version, json) VALUES (:name, 1, :json)")
          .bind("name", name).bind("json", doc)
          .execute();
    }
  }

  private void putAction(Handle h, ActionRecord a) {
    String doc = json.write(a.action());
    String updatedAt = a.updated() == null ? null : a.updated().toString();
    int updated = h.createUpdate("UPDATE actions SET kind = :kind, subject = :subject, status = :status, attempts = :attempts,"
            + " created = :created, updated = :updated, error = :error, action = :action WHERE action_key = :key")
        .bind("key", a.key()).bind("kind", a.action().getClass().getSimpleName()).bind("subject", a.action().subject())
        .bind("status", a.status().name()).bind("attempts", a.attempts()).bind("created", a.created().toString())
        .bind("updated", updatedAt).bind("error", a.error()).bind("action", doc)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO actions (action_key, kind, subject, status, attempts, created, updated, error, action)"
              + " VALUES (:key, :kind, :subject, :status, :attempts, :created, :updated, :error, :action)")
          .bind("key", a.key()).bind("kind", a.action().getClass().getSimpleName()).bind("subject", a.action().subject())
          .bind("status", a.status().name()).bind("attempts", a.attempts()).bind("created", a.created().toString())
          .bind("updated", updatedAt).bind("error", a.error()).bind("action", doc)
          .execute();
    }
  }

  private static void putMeta(Handle h, String key, String value) {
    int updated = h.createUpdate("UPDATE meta SET meta_value = :value WHERE meta_key = :key")
        .bind("key", key).bind("value", value)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO meta (meta_key, meta_value) VALUES (:key, :value)")
          .bind("key", key).bind("value", value)
          .execute();
    }
  }

  /** Users and groups: a name and the record as JSON. */
  private static void putDocument(Handle h, String table, String keyColumn, String key, String doc) {
    int updated = h.createUpdate("UPDATE " + table + " SET json = :json WHERE " + keyColumn + " = :key")
        .bind("key", key).bind("json", doc)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO " + table + " (" + keyColumn + ", json) VALUES (:key, :json)")
          .bind("key", key).bind("json", doc)
          .execute();
    }
  }

  private void putToken(Handle h, ApiToken t) {
    String doc = json.write(t);
    int updated = h.createUpdate("UPDATE api_tokens SET user_name = :user, json = :json WHERE id = :id")
        .bind("id", t.id()).bind("user", t.user()).bind("json", doc)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO api_tokens (id, user_name, json) VALUES (:id, :user, :json)")
          .bind("id", t.id()).bind("user", t.user()).bind("json", doc)
          .execute();
    }
  }

  private static void delete(Handle h, String table, String column, String key) {
    h.createUpdate("DELETE FROM " + table + " WHERE " + column + " = :key").bind("key", key).execute();
  }

  private static JournalEntry append(Handle h, JournalEntry e) {
    Cause cause = e.cause();
    h.createUpdate("INSERT INTO journal (seq, at, kind, subject_kind, subject, from_state, to_state, action_key,"
            + " cause_origin, cause_reason, cause_cycle, message) VALUES (:seq, :at, :kind, :subjectKind, :subject,"
            + " :from, :to, :actionKey, :origin, :reason, :cycle, :message)")
        .bind("seq", e.seq()).bind("at", e.at().toString()).bind("kind", e.kind().name())
        .bind("subjectKind", e.subjectKind().name()).bind("subject", e.subject())
        .bind("from", e.from()).bind("to", e.to()).bind("actionKey", e.actionKey())
        .bind("origin", cause == null ? null : cause.origin().name())
        .bind("reason", cause == null ? null : cause.reason())
        .bind("cycle", cause == null ? null : (Long) cause.cycle())
        .bind("message", e.message())
        .execute();
    return e;
  }
}
