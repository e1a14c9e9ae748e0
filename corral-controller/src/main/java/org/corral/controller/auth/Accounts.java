package org.corral.controller.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.corral.controller.state.ControllerState;
import org.corral.model.AccessDeniedException;
import org.corral.model.AccessDeniedException.Reason;
import org.corral.model.ConflictException;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.corral.model.NotFoundException;
import org.corral.model.QuotaExceededException;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.Group;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.Quota;
import org.corral.model.auth.Role;
import org.corral.model.auth.Usage;
import org.corral.model.auth.User;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Users, groups, tokens and quotas: authentication of a bearer token, and the requests that
 * change accounts (each validated first, then written with its journal entry in one batch).
 * {@link #authenticate} and {@link #passwordMatches} run on the API's threads (they read the
 * state's immutable account maps); everything else on the controller's loop. Who may call what
 * is decided by {@link AccessPolicy} before these run.
 */
public final class Accounts {
  /** The administrator that {@link #bootstrap} creates. */
  public static final String ADMIN = "admin";
  /** Lifetime of a token when none is asked for. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(90);
  /** Longest lifetime a token may be given (a token for ever is the bootstrap token only). */
  public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(3660);
  /** Tokens one user may hold: far above any use, a bound on what a script gone wrong can make. */
  public static final int MAX_TOKENS_PER_USER = 100;
  /** A hash that no password matches, verified for unknown users so that they take as long as known ones. */
  private static final String DUMMY_HASH =
      "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  private final ControllerState state;
  private final Clock clock;
  private final Passwords passwords;
  private final Tokens tokens;
  private final AccessKeys accessKeys;
  private final LoginLimiter limiter = new LoginLimiter();

  public Accounts(ControllerState state, Passwords passwords, Tokens tokens) {
    this(state, passwords, tokens, new AccessKeys(new java.security.SecureRandom()));
  }

  public Accounts(ControllerState state, Passwords passwords, Tokens tokens, AccessKeys accessKeys) {
    this.state = state;
    this.clock = state.clock();
    this.passwords = passwords;
    this.tokens = tokens;
    this.accessKeys = accessKeys;
  }

  /** The sealing of EC2 access keys' secrets (its key-encryption key is set at start-up). */
  public AccessKeys accessKeys() {
    return accessKeys;
  }

  // ---- authentication (API threads) ------------------------------------------------------------

  /**
   * The user an {@code Authorization: Bearer corral_...} header stands for. An administrator may
   * act as another user with {@code actAs} (the X-Corral-User header): the request then has that
   * user's role and owner, and the journal names both.
   *
   * @throws AccessDeniedException UNAUTHENTICATED without a valid, unexpired token; FORBIDDEN when
   *     a non-administrator sends {@code actAs}
   */
  public Principal authenticate(@Nullable String authorization, @Nullable String actAs) {
    if (authorization == null || authorization.isBlank()) {
      throw new AccessDeniedException(Reason.UNAUTHENTICATED, "this request needs a token: send Authorization: Bearer TOKEN;"
          + " `corral login` stores one, and `corral up` writes the admin's to admin.token in its home");
    }
    String a = authorization.strip();
    if (a.length() < 7 || !a.substring(0, 7).equalsIgnoreCase("bearer ")) {
      throw new AccessDeniedException(Reason.UNAUTHENTICATED, "only bearer tokens are accepted: send Authorization: Bearer TOKEN");
    }
    Tokens.Parsed parsed = Tokens.parse(a.substring(7));
    ApiToken stored = parsed == null ? null : state.token(parsed.id()).orElse(null);
    if (parsed == null || stored == null || !Tokens.matches(stored, parsed.secret())) {
      throw new AccessDeniedException(Reason.UNAUTHENTICATED, "the token is not valid (mistyped, or revoked);"
          + " log in again with `corral login`, or ask an administrator for a new one");
    }
    if (stored.expiredAt(clock.now())) {
      throw new AccessDeniedException(Reason.UNAUTHENTICATED, "token " + stored.id() + " expired at " + stored.expires()
          + "; log in again with `corral login`, or make a new one with `corral token create`");
    }
    User u = state.user(stored.user()).orElseThrow(() -> new AccessDeniedException(Reason.UNAUTHENTICATED,
        "the token's user no longer exists"));
    if (actAs == null || actAs.isBlank() || actAs.equals(u.name())) {
      return new Principal(u.name(), u.role(), u.group(), u.name(), stored.id());
    }
    if (u.role() != Role.ADMIN) {
      throw new AccessDeniedException(Reason.FORBIDDEN, "only administrators may act as another user (X-Corral-User);"
          + " leave the header out to act as yourself, " + u.name());
    }
    User as = state.user(actAs).orElseThrow(() -> new InvalidInputException("X-Corral-User",
        InvalidInputException.quote(actAs) + " is not a user", "`corral user list` shows the users"));
    return new Principal(as.name(), as.role(), as.group(), u.name() + " as " + as.name(), stored.id());
  }

  /** An access key, its secret and the user it stands for, for checking a request's signature. */
  public record KeyHolder(AccessKey key, String secret, Principal principal) {
    @Override
    public String toString() {
      return "KeyHolder[" + key + "]"; // never the secret
    }
  }

  /**
   * The EC2 access key {@code id} with its secret and its user, or null when there is no such
   * key (or its user is gone). The caller checks the signature with the secret.
   */
  public @Nullable KeyHolder accessKeyHolder(String id) {
    AccessKey k = AccessKey.isId(id) ? state.accessKey(id).orElse(null) : null;
    User u = k == null ? null : state.user(k.user()).orElse(null);
    if (k == null || u == null) {
      return null;
    }
    return new KeyHolder(k, accessKeys.secret(k), new Principal(u.name(), u.role(), u.group(), u.name() + " (key " + k.id() + ")", null));
  }

  /**
   * Seconds before a request signed with access key {@code id} from {@code address} is checked
   * again, 0 for now: bad signatures count as failed logins do (per key, and per address together
   * with password failures).
   */
  public long signatureWaitSeconds(String id, String address) {
    return limiter.waitSeconds(limiterName(id), address, clock.now());
  }

  public void signatureRefused(String id, String address) {
    limiter.failed(limiterName(id), address, clock.now());
  }

  public void signatureAccepted(String id) {
    limiter.succeeded(limiterName(id));
  }

  private static String limiterName(String accessKeyId) {
    return AccessKey.isId(accessKeyId) ? "key:" + accessKeyId : "(not a key id)";
  }

  /**
   * Whether {@code password} is {@code user}'s (one Argon2id hash, whatever the answer). Refuses, without
   * checking, a user or client address with too many recent failures.
   *
   * @throws AccessDeniedException TOO_MANY_ATTEMPTS, with the seconds to wait
   */
  public boolean passwordMatches(String user, String password, String address) {
    // Counted under the name only when it could be one: an attacker's megabyte of text is not kept.
    String key = Names.isValid(user) ? user : "(not a user name)";
    long wait = limiter.waitSeconds(key, address, clock.now());
    if (wait > 0) {
      throw new AccessDeniedException(Reason.TOO_MANY_ATTEMPTS, "too many failed logins for this user or from this address;"
          + " try again in " + wait + " s, or ask an administrator to set a new password", wait);
    }
    User u = state.user(user).orElse(null);
    String hash = u == null || u.passwordHash() == null ? DUMMY_HASH : u.passwordHash();
    boolean ok = Passwords.verify(password, hash) && u != null && u.passwordHash() != null;
    if (ok) {
      limiter.succeeded(key);
    } else {
      limiter.failed(key, address, clock.now());
    }
    return ok;
  }

  // ---- on the loop -------------------------------------------------------------------------------

  /** Journals a refused login (on the loop); the password is never part of it. */
  public void loginFailed(@Nullable String user, String address, String why) {
    String subject = user != null && Names.isValid(user) ? user : "(not a user name)";
    state.tx().journal(EntryKind.LOGIN_FAILED, SubjectKind.USER, subject, null, null, null,
        Cause.user("anonymous from " + address, "log in as " + subject), "login refused: " + why).commit();
  }

  /** A new token for a user who has just given their password. */
  public Tokens.Issued loggedIn(String user, @Nullable Duration lifetime, String address) {
    return issue(user, "login from " + address, lifetime, user);
  }

  /** What POST /users takes; role is admin or developer, password optional (tokens only). */
  public record UserRequest(@Nullable String name, @Nullable String role, @Nullable String group, @Nullable String password) {
    @Override
    public String toString() {
      return "UserRequest[" + name + "]";
    }
  }

  public User createUser(UserRequest req, Principal by) {
    if (req == null) {
      throw new InvalidInputException("body", "is empty", "send {\"name\": \"alice\", \"role\": \"developer\"}");
    }
    String name = Names.require("name", req.name());
    Role role = Role.parse("role", req.role() == null ? "developer" : req.role());
    String group = req.group() == null ? null : Names.require("group", req.group());
    if (req.password() != null) {
      Passwords.checkNew("password", req.password());
    }
    if (state.user(name).isPresent()) {
      throw new ConflictException("a user named '" + name + "' already exists; pick another name or delete it first");
    }
    String hash = req.password() == null ? null : passwords.hash(req.password());
    User u = new User(name, role, group, Quota.NONE, hash, clock.now());
    ControllerState.Tx tx = state.tx().put(u);
    if (group != null && state.group(group).isEmpty()) {
      tx.put(new Group(group, Quota.NONE));
    }
    tx.journal(EntryKind.CREATED, SubjectKind.USER, name, null, null, null, Cause.user(by.actor(), "create user " + name),
        "created: " + role.label() + (group == null ? "" : " in group " + group) + (hash == null ? ", no password" : "")).commit();
    return u;
  }

  /** Sets (or, with null, removes) a user's password. */
  public User setPassword(String name, @Nullable String password, Principal by) {
    User u = requireUser(name);
    if (password != null) {
      Passwords.checkNew("password", password);
    }
    User after = u.withPasswordHash(password == null ? null : passwords.hash(password));
    state.tx().put(after).journal(EntryKind.UPDATED, SubjectKind.USER, name, null, null, null,
        Cause.user(by.actor(), "set the password of " + name), password == null ? "password removed" : "password changed").commit();
    return after;
  }

  /** Deletes a user and their tokens; refused while they own VMs, and for the last administrator. */
  public void deleteUser(String name, Principal by) {
    User u = requireUser(name);
    if (!state.usage(name).isZero()) {
      throw new ConflictException("user '" + name + "' still owns " + state.usage(name).vms() + " VMs; delete them first"
          + " (`corral vm list --owner " + name + "`)");
    }
    if (u.role() == Role.ADMIN && state.users().stream().filter(x -> x.role() == Role.ADMIN).count() == 1) {
      throw new ConflictException("'" + name + "' is the last administrator; create another admin first");
    }
    state.tx().deleteUser(name).journal(EntryKind.DELETED, SubjectKind.USER, name, null, null, null,
        Cause.user(by.actor(), "delete user " + name), "deleted, with its tokens").commit();
  }

  public User setQuota(String name, Quota quota, Principal by) {
    User after = requireUser(name).withQuota(quota);
    state.tx().put(after).journal(EntryKind.UPDATED, SubjectKind.USER, name, null, null, null,
        Cause.user(by.actor(), "set the quota of " + name), "quota " + text(quota)).commit();
    return after;
  }

  public Group setGroupQuota(String name, Quota quota, Principal by) {
    Names.require("group", name);
    Group after = new Group(name, quota);
    state.tx().put(after).journal(EntryKind.UPDATED, SubjectKind.USER, "group:" + name, null, null, null,
        Cause.user(by.actor(), "set the quota of group " + name), "quota " + text(quota)).commit();
    return after;
  }

  /** A new token for {@code user}; the text is in the answer and nowhere else. */
  public Tokens.Issued createToken(String user, @Nullable String description, @Nullable Duration lifetime, Principal by) {
    requireUser(user);
    return issue(user, description, lifetime, by.actor());
  }

  private Tokens.Issued issue(String user, @Nullable String description, @Nullable Duration lifetime, String actor) {
    Duration life = lifetime == null ? DEFAULT_TOKEN_LIFETIME : lifetime;
    if (life.isNegative() || life.isZero() || life.compareTo(MAX_TOKEN_LIFETIME) > 0) {
      throw new InvalidInputException("expiresIn", "must be from 1s to " + MAX_TOKEN_LIFETIME.toDays() + "d", "e.g. 30d");
    }
    long held = state.tokens().stream().filter(t -> t.user().equals(user)).count();
    if (held >= MAX_TOKENS_PER_USER) {
      throw new ConflictException("user '" + user + "' already has " + held + " tokens; revoke some first (`corral token list`)");
    }
    Instant now = clock.now();
    Tokens.Issued issued = tokens.issue(user, description, now, now.plus(life));
    journalToken(issued, actor);
    return issued;
  }

  private void journalToken(Tokens.Issued issued, String actor) {
    ApiToken t = issued.token();
    state.tx().put(t).journal(EntryKind.CREATED, SubjectKind.USER, t.user(), null, null, null,
        Cause.user(actor, "create a token for " + t.user()),
        "token " + t.id() + " created" + (t.expires() == null ? ", never expires" : ", expires " + t.expires())).commit();
  }

  public void revokeToken(String id, Principal by) {
    ApiToken t = requireToken(id);
    state.tx().deleteToken(id).journal(EntryKind.DELETED, SubjectKind.USER, t.user(), null, null, null,
        Cause.user(by.actor(), "revoke token " + id), "token " + id + " revoked").commit();
  }

  /** Access keys one user may hold (AWS allows two; more would only widen what a leak exposes). */
  public static final int MAX_ACCESS_KEYS_PER_USER = 10;

  /** A new EC2 access key for {@code user}; the secret is in the answer and shown nowhere else. */
  public AccessKeys.Issued createAccessKey(String user, @Nullable String description, Principal by) {
    requireUser(user);
    long held = state.accessKeys().stream().filter(k -> k.user().equals(user)).count();
    if (held >= MAX_ACCESS_KEYS_PER_USER) {
      throw new ConflictException("user '" + user + "' already has " + held + " access keys; delete some first (`corral keys list`)");
    }
    AccessKeys.Issued issued = accessKeys.issue(user, description, clock.now());
    AccessKey k = issued.key();
    state.tx().put(k).journal(EntryKind.CREATED, SubjectKind.USER, user, null, null, null,
        Cause.user(by.actor(), "create an access key for " + user), "access key " + k.id() + " created").commit();
    return issued;
  }

  public void deleteAccessKey(String id, Principal by) {
    AccessKey k = requireAccessKey(id);
    state.tx().deleteAccessKey(id).journal(EntryKind.DELETED, SubjectKind.USER, k.user(), null, null, null,
        Cause.user(by.actor(), "delete access key " + id), "access key " + id + " deleted").commit();
  }

  public AccessKey requireAccessKey(String id) {
    if (!AccessKey.isId(id)) {
      throw new InvalidInputException("id", InvalidInputException.quote(id) + " is not an access key id",
          "give the CKIA... id `corral keys list` shows");
    }
    return state.accessKey(id).orElseThrow(() -> new NotFoundException("access key", id, "`corral keys list` shows the keys"));
  }

  /** Key pairs one user may hold. */
  public static final int MAX_KEY_PAIRS_PER_USER = 100;

  /** Registers {@code k} (an SSH public key under a name) for its user; the name must be free. */
  public KeyPair addKeyPair(KeyPair k, Principal by) {
    requireUser(k.user());
    if (state.keyPair(k.user(), k.name()).isPresent()) {
      throw new ConflictException("the key pair '" + k.name() + "' already exists; delete it first or pick another name");
    }
    if (state.keyPairs(k.user()).size() >= MAX_KEY_PAIRS_PER_USER) {
      throw new ConflictException("user '" + k.user() + "' already has " + MAX_KEY_PAIRS_PER_USER + " key pairs; delete some first");
    }
    state.tx().put(k).journal(EntryKind.CREATED, SubjectKind.USER, k.user(), null, null, null,
        Cause.user(by.actor(), "add key pair " + k.name()), "key pair " + k.name() + " added (" + k.fingerprint() + ")").commit();
    return k;
  }

  /** Deletes {@code user}'s key pair {@code name}; false when there was none (EC2 answers true either way). */
  public boolean deleteKeyPair(String user, String name, Principal by) {
    KeyPair k = state.keyPair(user, name).orElse(null);
    if (k == null) {
      return false;
    }
    state.tx().deleteKeyPair(k).journal(EntryKind.DELETED, SubjectKind.USER, user, null, null, null,
        Cause.user(by.actor(), "delete key pair " + name), "key pair " + name + " deleted").commit();
    return true;
  }

  public ApiToken requireToken(String id) {
    if (!ApiToken.isId(id)) {
      throw new InvalidInputException("id", InvalidInputException.quote(id) + " is not a token id", "give the 12 hex digits `corral token list` shows");
    }
    return state.token(id).orElseThrow(() -> new NotFoundException("token", id, "`corral token list` shows the tokens"));
  }

  public User requireUser(String name) {
    return state.user(name).orElseThrow(() -> new NotFoundException("user", name, "`corral user list` shows the users"));
  }

  /**
   * Creates the {@code admin} user and a token that never expires, when the store has no users
   * yet (the first start); returns that token, or null when there were users already.
   */
  public Tokens.@Nullable Issued bootstrap() {
    if (!state.users().isEmpty()) {
      return null;
    }
    User admin = new User(ADMIN, Role.ADMIN, null, Quota.NONE, null, clock.now());
    state.tx().put(admin).journal(EntryKind.CREATED, SubjectKind.USER, ADMIN, null, null, null,
        Cause.user("corral up", "create the first administrator"), "created: admin, no password (log in with admin.token)").commit();
    Tokens.Issued issued = tokens.issue(ADMIN, "first token, written by corral up", clock.now(), null);
    journalToken(issued, "corral up");
    return issued;
  }

  // ---- quotas ------------------------------------------------------------------------------------

  /** A user's or group's limits beside what their VMs hold. */
  public record QuotaView(String scope, String name, Quota limits, Usage usage) {}

  /** The quotas that apply to {@code user}: their own, and their group's if any. */
  public List<QuotaView> quota(String user) {
    User u = requireUser(user);
    List<QuotaView> out = new ArrayList<>(2);
    out.add(new QuotaView("user", u.name(), u.quota(), state.usage(u.name())));
    if (u.group() != null) {
      Group g = state.group(u.group()).orElse(new Group(u.group(), Quota.NONE));
      out.add(new QuotaView("group", g.name(), g.quota(), groupUsage(g.name())));
    }
    return out;
  }

  /**
   * Refuses {@code asked} more for {@code owner} when it would take the owner or their group over a
   * quota. Runs on the loop, the one thread that admits VMs, so two requests cannot both pass
   * against the same room. Owners that are not users (corral.yaml) have no quota.
   *
   * @throws QuotaExceededException naming the limit, the usage, what was asked and the fix
   */
  public void checkQuota(String owner, Usage asked) {
    User u = state.user(owner).orElse(null);
    if (u == null) {
      return;
    }
    refuseOver("user " + owner, u.quota(), state.usage(owner), asked, "corral user set-quota " + owner);
    if (u.group() != null) {
      Group g = state.group(u.group()).orElse(null);
      if (g != null && !g.quota().isNone()) {
        refuseOver("group " + g.name(), g.quota(), groupUsage(g.name()), asked, "corral user set-quota --group " + g.name());
      }
    }
  }

  private static void refuseOver(String who, Quota quota, Usage used, Usage asked, String command) {
    List<Quota.Excess> over = quota.excesses(used, asked);
    if (over.isEmpty()) {
      return;
    }
    Quota.Excess e = over.get(0);
    throw new QuotaExceededException("quota exceeded: " + who + " may hold " + e.allowed() + " " + e.limit() + ", holds "
        + e.used() + " and this request asks for " + e.asked() + " more; delete or shrink VMs, or ask an administrator"
        + " to raise the limit (`" + command + " --" + flag(e.limit()) + " " + (e.used() + e.asked()) + "`)");
  }

  private static String flag(String limit) {
    return switch (limit) {
      case "memoryMib" -> "memory";
      case "diskGib" -> "disk";
      default -> limit;
    };
  }

  private Usage groupUsage(String group) {
    Usage sum = Usage.NONE;
    for (User m : state.users()) {
      if (group.equals(m.group())) {
        sum = sum.plus(state.usage(m.name()));
      }
    }
    return sum;
  }

  private static String text(Quota q) {
    if (q.isNone()) {
      return "removed (no limits)";
    }
    List<String> parts = new ArrayList<>();
    if (q.vms() != null) {
      parts.add(q.vms() + " VMs");
    }
    if (q.cpus() != null) {
      parts.add(q.cpus() + " vCPUs");
    }
    if (q.memoryMib() != null) {
      parts.add(q.memoryMib() + " MiB");
    }
    if (q.diskGib() != null) {
      parts.add(q.diskGib() + " GiB disk");
    }
    return String.join(", ", parts);
  }
}
