package org.corral.controller.store;

import java.util.List;
import java.util.Map;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.Group;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.User;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionRecord;
import org.corral.model.vm.Vm;

/**
 * What {@link Store#load()} returns.
 *
 * @param unfinished actions whose status is not final (QUEUED or RUNNING), oldest first
 * @param meta       small controller settings (e.g. the root seed, the cycle counters)
 * @param accounts   users, groups and API tokens
 */
public record StoredState(List<Host> hosts, List<Vm> vms, List<Network> networks, List<Image> images,
    List<ActionRecord> unfinished, Map<String, String> meta, Accounts accounts) {
  /** Users, groups and API tokens, each list by name (tokens by id). */
  public record Accounts(List<User> users, List<Group> groups, List<ApiToken> tokens, List<AccessKey> accessKeys,
      List<KeyPair> keyPairs) {
    public static final Accounts NONE = new Accounts(List.of(), List.of(), List.of(), List.of(), List.of());

    /** Without EC2 access keys and key pairs. */
    public Accounts(List<User> users, List<Group> groups, List<ApiToken> tokens) {
      this(users, groups, tokens, List.of(), List.of());
    }
  }
}
