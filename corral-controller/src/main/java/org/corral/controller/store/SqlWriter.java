package org.corral.controller.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.corral.controller.store.Changes.Change;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.journal.JournalEntry;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.Cause;
import org.corral.model.vm.Vm;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

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

  /**
   * Applies {@code changes} as if in order; journal entries get seq lastSeq+1, lastSeq+2, ...
   *
   * <p>A batch carries a whole turn of the loop (group commit), in which one VM or action is often
   * written several times (QUEUED, then RUNNING): only the last write of each host, VM, action or
   * meta key reaches the table, and each kind of statement goes as one JDBC batch. The tables have
   * no constraints between them, so the end state is the one the changes in order would leave.
   * Networks and images count their puts in their version: each of theirs is applied as it comes.
   */
  List<JournalEntry> apply(Handle h, List<Change> changes, long lastSeq) {
    Map<String, Change> hosts = new LinkedHashMap<>();
    Map<String, Change> vms = new LinkedHashMap<>();
    Map<String, ActionRecord> actions = new LinkedHashMap<>();
    Map<String, @Nullable String> meta = new LinkedHashMap<>(); // null: deleted
    List<JournalEntry> appended = new ArrayList<>();
    for (Change change : changes) {
      switch (change) {
        case Change.PutHost c -> hosts.put(c.host().name(), c);
        case Change.DeleteHost c -> hosts.put(c.name(), c);
        case Change.PutVm c -> vms.put(c.vm().name(), c);
        case Change.DeleteVm c -> vms.put(c.name(), c);
        case Change.PutNetwork c -> putCounted(h, "networks", c.network().name(), json.write(c.network()));
        case Change.DeleteNetwork c -> delete(h, "networks", "name", c.name());
        case Change.PutImage c -> putCounted(h, "images", c.image().name(), json.write(c.image()));
        case Change.DeleteImage c -> delete(h, "images", "name", c.name());

        case Change.PutAction c -> actions.put(c.action().key(), c.action());
        case Change.PutMeta c -> meta.put(c.key(), c.value());
        case Change.DeleteMeta c -> meta.put(c.key(), null);
        case Change.Append c -> appended.add(c.entry().withSeq(lastSeq + appended.size() + 1));
        case Change.PutUser c -> putDocument(h, "users", "name", c.user().name(), json.write(c.user()));
        case Change.DeleteUser c -> {
          delete(h, "api_tokens", "user_name", c.name());
          delete(h, "access_keys", "user_name", c.name());
          delete(h, "key_pairs", "user_name", c.name());
          delete(h, "users", "name", c.name());
        }
        case Change.PutGroup c -> putDocument(h, "user_groups", "name", c.group().name(), json.write(c.group()));
        case Change.PutToken c -> putOwned(h, "api_tokens", c.token().id(), c.token().user(), json.write(c.token()));
        case Change.PutAccessKey c -> putOwned(h, "access_keys", c.key().id(), c.key().user(), json.write(c.key()));
        case Change.DeleteAccessKey c -> delete(h, "access_keys", "id", c.id());
        case Change.PutKeyPair c -> putOwned(h, "key_pairs", c.keyPair().id(), c.keyPair().user(), json.write(c.keyPair()));
        case Change.DeleteKeyPair c -> delete(h, "key_pairs", "id", c.id());
        case Change.DeleteToken c -> delete(h, "api_tokens", "id", c.id());
      }
    }
    List<Map<String, @Nullable Object>> hostRows = new ArrayList<>();
    List<String> hostDeletes = new ArrayList<>();
    for (Map.Entry<String, Change> e : hosts.entrySet()) {
      if (e.getValue() instanceof Change.PutHost c) {
        hostRows.add(hostRow(c.host()));
      } else {
        hostDeletes.add(e.getKey());
      }
    }
    List<Map<String, @Nullable Object>> vmRows = new ArrayList<>();
    List<String> vmDeletes = new ArrayList<>();
    for (Map.Entry<String, Change> e : vms.entrySet()) {
      if (e.getValue() instanceof Change.PutVm c) {
        vmRows.add(vmRow(c.vm()));
      } else {
        vmDeletes.add(e.getKey());
      }
    }
    deleteAll(h, "hosts", hostDeletes);
    upsert(h, "UPDATE hosts SET version = :version, state = :state, json = :json WHERE name = :name",
        "INSERT INTO hosts (name, version, state, json) VALUES (:name, :version, :state, :json)", hostRows);
    deleteAll(h, "vms", vmDeletes);
    upsert(h, "UPDATE vms SET version = :version, state = :state, host = :host, json = :json WHERE name = :name",
        "INSERT INTO vms (name, version, state, host, json) VALUES (:name, :version, :state, :host, :json)", vmRows);
    upsert(h, "UPDATE actions SET kind = :kind, subject = :subject, status = :status, attempts = :attempts,"
            + " created = :created, updated = :updated, error = :error, action = :action WHERE action_key = :key",
        "INSERT INTO actions (action_key, kind, subject, status, attempts, created, updated, error, action)"
            + " VALUES (:key, :kind, :subject, :status, :attempts, :created, :updated, :error, :action)",
        actions.values().stream().map(this::actionRow).toList());
    List<Map<String, @Nullable Object>> metaRows = new ArrayList<>();
    List<String> metaDeletes = new ArrayList<>();
    meta.forEach((k, v) -> {
      if (v == null) {
        metaDeletes.add(k);
      } else {
        metaRows.add(Map.of("key", k, "value", v));
      }
    });
    for (String k : metaDeletes) {
      delete(h, "meta", "meta_key", k);
    }
    upsert(h, "UPDATE meta SET meta_value = :value WHERE meta_key = :key",
        "INSERT INTO meta (meta_key, meta_value) VALUES (:key, :value)", metaRows);
    appendAll(h, appended);
    return appended;
  }

  private Map<String, @Nullable Object> hostRow(Host host) {
    Map<String, @Nullable Object> row = new HashMap<>();
    row.put("name", host.name());
    row.put("version", host.version());
    row.put("state", host.state() == null ? null : host.state().name());
    row.put("json", json.write(host));
    return row;
  }

  private Map<String, @Nullable Object> vmRow(Vm vm) {
    Map<String, @Nullable Object> row = new HashMap<>();
    row.put("name", vm.name());
    row.put("version", vm.version());
    row.put("state", vm.state() == null ? null : vm.state().name());
    row.put("host", vm.host());
    row.put("json", json.write(vm));
    return row;
  }

  private Map<String, @Nullable Object> actionRow(ActionRecord a) {
    Map<String, @Nullable Object> row = new HashMap<>();
    row.put("key", a.key());
    row.put("kind", a.action().getClass().getSimpleName());
    row.put("subject", a.action().subject());
    row.put("status", a.status().name());
    row.put("attempts", a.attempts());
    row.put("created", a.created().toString());
    row.put("updated", a.updated() == null ? null : a.updated().toString());
    row.put("error", a.error());
    row.put("action", json.write(a.action()));
    return row;
  }

  /**
   * Puts {@code rows}: one batch of UPDATEs, then one batch of INSERTs for the rows no UPDATE
   * matched (portable between H2 and PostgreSQL, and safe because the store serializes its writes).
   */
  private static void upsert(Handle h, String update, String insert, List<Map<String, @Nullable Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    PreparedBatch updates = h.prepareBatch(update);
    rows.forEach(r -> updates.bindMap(r).add());
    int[] counts = updates.execute();
    PreparedBatch inserts = h.prepareBatch(insert);
    boolean any = false;
    for (int i = 0; i < rows.size(); i++) {
      if (counts[i] == 0) {
        inserts.bindMap(rows.get(i)).add();
        any = true;
      }
    }
    if (any) {
      inserts.execute();
    }
  }

  private static void deleteAll(Handle h, String table, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    PreparedBatch b = h.prepareBatch("DELETE FROM " + table + " WHERE name = :key");
    names.forEach(k -> b.bind("key", k).add());
    b.execute();
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

  /** A row of a user's credential table (api_tokens, access_keys): id, user_name, json. */
  private static void putOwned(Handle h, String table, String id, String user, String doc) {
    int updated = h.createUpdate("UPDATE " + table + " SET user_name = :user, json = :json WHERE id = :id")
        .bind("id", id).bind("user", user).bind("json", doc)
        .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO " + table + " (id, user_name, json) VALUES (:id, :user, :json)")
          .bind("id", id).bind("user", user).bind("json", doc)
          .execute();
    }
  }

  private static void delete(Handle h, String table, String column, String key) {
    h.createUpdate("DELETE FROM " + table + " WHERE " + column + " = :key").bind("key", key).execute();
  }

  private static void appendAll(Handle h, List<JournalEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    PreparedBatch b = h.prepareBatch("INSERT INTO journal (seq, at, kind, subject_kind, subject, from_state, to_state, action_key,"
        + " cause_origin, cause_reason, cause_cycle, message) VALUES (:seq, :at, :kind, :subjectKind, :subject,"
        + " :from, :to, :actionKey, :origin, :reason, :cycle, :message)");
    for (JournalEntry e : entries) {
      Cause cause = e.cause();
      b.bind("seq", e.seq()).bind("at", e.at().toString()).bind("kind", e.kind().name())
          .bind("subjectKind", e.subjectKind().name()).bind("subject", e.subject())
          .bind("from", e.from()).bind("to", e.to()).bind("actionKey", e.actionKey())
          .bind("origin", cause == null ? null : cause.origin().name())
          .bind("reason", cause == null ? null : cause.reason())
          .bind("cycle", cause == null ? null : (Long) cause.cycle())
          .bind("message", e.message())
          .add();
    }
    b.execute();
  }
}
