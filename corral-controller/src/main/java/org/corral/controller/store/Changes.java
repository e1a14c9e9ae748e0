package org.corral.controller.store;

import java.util.ArrayList;
import java.util.List;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.Group;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.User;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.journal.JournalEntry;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionRecord;
import org.corral.model.vm.Vm;

/** A batch of writes applied atomically by {@link Store#write}. Not thread-safe; build, then write. */
public final class Changes {
  /** One write. */
  public sealed interface Change {
    record PutHost(Host host) implements Change {}
    record DeleteHost(String name) implements Change {}
    record PutVm(Vm vm) implements Change {}
    /** Removes the VM row entirely (its DELETED state has been journaled). */
    record DeleteVm(String name) implements Change {}
    record PutNetwork(Network network) implements Change {}
    record DeleteNetwork(String name) implements Change {}
    record PutImage(Image image) implements Change {}
    record DeleteImage(String name) implements Change {}
    record PutAction(ActionRecord action) implements Change {}
    record PutMeta(String key, String value) implements Change {}
    /** Removes a meta key (what a loop kept there and no longer needs). */
    record DeleteMeta(String key) implements Change {}
    record PutUser(User user) implements Change {}
    /** Removes the user and every token, access key and key pair of theirs. */
    record DeleteUser(String name) implements Change {}
    record PutGroup(Group group) implements Change {}
    record PutToken(ApiToken token) implements Change {}
    record DeleteToken(String id) implements Change {}
    record PutAccessKey(AccessKey key) implements Change {}
    record DeleteAccessKey(String id) implements Change {}
    record PutKeyPair(KeyPair keyPair) implements Change {}
    /** Removes a key pair by {@link KeyPair#id()}. */
    record DeleteKeyPair(String id) implements Change {}
    record Append(JournalEntry entry) implements Change {}
  }

  private final List<Change> list = new ArrayList<>();

  public Changes add(Change c) {
    if (c == null) {
      throw new org.corral.model.InvalidInputException("changes[" + list.size() + "]", "is null", "add a Change record");
    }
    list.add(c);
    return this;
  }

  public Changes put(Host h) { return add(new Change.PutHost(h)); }

  public Changes put(Vm v) { return add(new Change.PutVm(v)); }

  public Changes put(Network n) { return add(new Change.PutNetwork(n)); }

  public Changes put(Image i) { return add(new Change.PutImage(i)); }

  public Changes put(ActionRecord a) { return add(new Change.PutAction(a)); }

  public Changes put(User u) { return add(new Change.PutUser(u)); }

  public Changes put(Group g) { return add(new Change.PutGroup(g)); }

  public Changes put(ApiToken t) { return add(new Change.PutToken(t)); }

  public Changes put(AccessKey k) { return add(new Change.PutAccessKey(k)); }

  public Changes put(KeyPair k) { return add(new Change.PutKeyPair(k)); }

  public Changes append(JournalEntry e) { return add(new Change.Append(e)); }

  public Changes meta(String key, String value) { return add(new Change.PutMeta(key, value)); }

  public Changes deleteMeta(String key) { return add(new Change.DeleteMeta(key)); }

  /** Appends every change of {@code other}, in order (group commit: several batches become one). */
  public Changes addAll(Changes other) {
    list.addAll(other.list);
    return this;
  }

  /**
   * Checks the batch as {@link Store#write} will, without writing: throws naming the first change
   * a store cannot record. A batch that passes here is not refused later for its content.
   */
  public void validate() {
    ChangeRules.check(this);
  }

  public int size() {
    return list.size();
  }

  public List<Change> list() {
    return List.copyOf(list);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }
}
