package org.corral.controller.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.Group;
import org.corral.model.auth.User;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.network.Network;
import org.corral.model.plan.Action;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.vm.Vm;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Reads the tables back into model records. Sorting happens here, in Java, so that every database orders alike. */
final class SqlReader {
  private static final List<String> UNFINISHED = Arrays.stream(ActionStatus.values())
      .filter(s -> !s.isFinal()).map(Enum::name).toList();

  private final RecordJson json;

  SqlReader(RecordJson json) {
    this.json = json;
  }

  StoredState load(Handle h) {
    List<ActionRecord> unfinished = new ArrayList<>(h.createQuery(
            "SELECT action_key, status, attempts, created, updated, error, action FROM actions WHERE status IN (<statuses>)")
        .bindList("statuses", UNFINISHED)
        .map((rs, ctx) -> action(rs))
        .list());
    unfinished.sort(ActionOrder.OLDEST_FIRST);
    Map<String, String> meta = new TreeMap<>();
    h.createQuery("SELECT meta_key, meta_value FROM meta")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> meta.put(e.getKey(), e.getValue()));
    return new StoredState(
        objects(h, "hosts", Host.class, Host::name),
        objects(h, "vms", Vm.class, Vm::name),
        objects(h, "networks", Network.class, Network::name),
        objects(h, "images", Image.class, Image::name),
        List.copyOf(unfinished),
        Collections.unmodifiableMap(meta),
        new StoredState.Accounts(objects(h, "users", User.class, User::name), objects(h, "user_groups", Group.class, Group::name),
            byId(h, "api_tokens", ApiToken.class, ApiToken::id), byId(h, "access_keys", AccessKey.class, AccessKey::id),
            byId(h, "key_pairs", KeyPair.class, KeyPair::id)));
  }

  Optional<ActionRecord> action(Handle h, String key) {
    return h.createQuery("SELECT action_key, status, attempts, created, updated, error, action FROM actions"
            + " WHERE action_key = :key")
        .bind("key", key)
        .map((rs, ctx) -> action(rs))
        .findOne();
  }

  List<ActionRecord> actions(Handle h, ActionStatus status, int limit) {
    return h.createQuery("SELECT action_key, status, attempts, created, updated, error, action FROM actions"
            + " WHERE status = :status ORDER BY updated DESC, action_key LIMIT :limit")
        .bind("status", status.name()).bind("limit", limit)
        .map((rs, ctx) -> action(rs))
        .list();
  }

  List<JournalEntry> journal(Handle h, long afterSeq, int limit, @Nullable String subject) {
    String where = subject == null ? "seq > :after" : "subject = :subject AND seq > :after";
    var query = h.createQuery("SELECT seq, at, kind, subject_kind, subject, from_state, to_state, action_key, cause_origin,"
            + " cause_reason, cause_cycle, message FROM journal WHERE " + where + " ORDER BY seq LIMIT :limit")
        .bind("after", afterSeq).bind("limit", limit);
    if (subject != null) {
      query.bind("subject", subject);
    }
    return query.map((rs, ctx) -> entry(rs)).list();
  }

  /** The newest {@code limit} entries, oldest first: the primary key (or journal_subject) read backwards. */
  List<JournalEntry> journalTail(Handle h, int limit, @Nullable String subject) {
    String where = subject == null ? "" : " WHERE subject = :subject";
    var query = h.createQuery("SELECT seq, at, kind, subject_kind, subject, from_state, to_state, action_key, cause_origin,"
            + " cause_reason, cause_cycle, message FROM journal" + where + " ORDER BY seq DESC LIMIT :limit")
        .bind("limit", limit);
    if (subject != null) {
      query.bind("subject", subject);
    }
    List<JournalEntry> newestFirst = query.map((rs, ctx) -> entry(rs)).list();
    return java.util.List.copyOf(newestFirst.reversed());
  }

  static long firstSeq(Handle h) {
    return h.createQuery("SELECT COALESCE(MIN(seq), 0) FROM journal").mapTo(Long.class).one();
  }

  /** When entry {@code seq} was written, or null when there is none. */
  static @Nullable Instant entryTime(Handle h, long seq) {
    return h.createQuery("SELECT at FROM journal WHERE seq = :seq").bind("seq", seq).mapTo(String.class).findOne()
        .map(Instant::parse).orElse(null);
  }

  static long lastSeq(Handle h) {
    return h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM journal").mapTo(Long.class).one();
  }

  private <T> List<T> objects(Handle h, String table, Class<T> type, Function<T, String> name) {
    return h.createQuery("SELECT name, json FROM " + table)
        .map((rs, ctx) -> json.read(rs.getString(2), type, table, rs.getString(1)))
        .list().stream()
        .sorted(Comparator.comparing(name))
        .toList();
  }

  /** A credential table (api_tokens, access_keys) by id. */
  private <T> List<T> byId(Handle h, String table, Class<T> type, Function<T, String> id) {
    return h.createQuery("SELECT id, json FROM " + table)
        .map((rs, ctx) -> json.read(rs.getString(2), type, table, rs.getString(1)))
        .list().stream()
        .sorted(Comparator.comparing(id))
        .toList();
  }

  private ActionRecord action(ResultSet rs) throws SQLException {
    String key = rs.getString("action_key");
    Action action = json.read(rs.getString("action"), Action.class, "actions", key);
    String updated = rs.getString("updated");
    return new ActionRecord(action, ActionStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
        Instant.parse(rs.getString("created")), updated == null ? null : Instant.parse(updated), rs.getString("error"));
  }

  private static JournalEntry entry(ResultSet rs) throws SQLException {
    String origin = rs.getString("cause_origin");
    Cause cause = origin == null ? null
        : new Cause(Origin.valueOf(origin), rs.getString("cause_reason"), rs.getLong("cause_cycle"));
    return new JournalEntry(rs.getLong("seq"), Instant.parse(rs.getString("at")), EntryKind.valueOf(rs.getString("kind")),
        SubjectKind.valueOf(rs.getString("subject_kind")), rs.getString("subject"), rs.getString("from_state"),
        rs.getString("to_state"), rs.getString("action_key"), cause, rs.getString("message"));
  }
}
