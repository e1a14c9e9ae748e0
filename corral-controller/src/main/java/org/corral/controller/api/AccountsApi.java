package org.corral.controller.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.controller.Controller;
import org.corral.controller.auth.AccessKeys;
import org.corral.controller.auth.Accounts;
import org.corral.controller.auth.Passwords;
import org.corral.controller.auth.Permission;
import org.corral.controller.auth.Principal;
import org.corral.controller.auth.Tokens;
import org.corral.controller.config.ConfigReader;
import org.corral.model.AccessDeniedException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.auth.AccessKey;
import org.corral.model.auth.ApiToken;
import org.corral.model.auth.Group;
import org.corral.model.auth.Quota;
import org.corral.model.auth.User;
import org.jspecify.annotations.Nullable;

/**
 * Routes for users, groups, tokens and quotas (docs/users-and-roles.md). A password or a token's
 * secret is read from a request body and shown only in the answer that creates a token; no view
 * here has a field that could hold either.
 */
final class AccountsApi {
  private final Controller controller;
  private final Accounts accounts;
  private final ApiServer api;

  AccountsApi(Controller controller, ApiServer api) {
    this.controller = controller;
    this.accounts = controller.accounts();
    this.api = api;
  }

  record LoginBody(@Nullable String user, @Nullable String password, @Nullable String expiresIn) {
    @Override
    public String toString() {
      return "LoginBody[" + user + "]";
    }
  }

  record PasswordBody(@Nullable String password) {
    @Override
    public String toString() {
      return "PasswordBody";
    }
  }

  record TokenBody(@Nullable String user, @Nullable String description, @Nullable String expiresIn) {}

  /** A user as the API shows one: never the password hash. */
  record UserView(String name, String role, @Nullable String group, Quota quota, boolean hasPassword, Instant created) {}

  /** A token as listed: never the secret or its hash. */
  record TokenView(String id, String user, @Nullable String description, Instant created, @Nullable Instant expires) {}

  /** A new token: the only answer that holds a secret, shown once. */
  record NewToken(String id, String user, String role, String token, @Nullable Instant expires) {}

  record KeyBody(@Nullable String user, @Nullable String description) {}

  /** An EC2 access key as listed: never the secret. */
  record AccessKeyView(String id, String user, @Nullable String description, Instant created) {}

  /** A new access key: the only answer that holds its secret, shown once. */
  record NewAccessKey(String id, String user, String secret, Instant created) {}

  record GroupView(String name, Quota quota, List<String> members) {}

  void routes(Javalin a) {
    String v1 = ApiServer.V1;
    api.postBody(a, v1 + "/login", Permission.LOGIN, this::login);
    api.get(a, v1 + "/whoami", Permission.READ_SERVICE, ctx -> {
      Principal p = RequestGate.principal(ctx);
      Map<String, Object> me = new LinkedHashMap<>();
      me.put("name", p.name());
      me.put("role", p.role().label());
      me.put("group", p.group());
      me.put("actor", p.actor());
      me.put("token", p.tokenId());
      ApiServer.json(ctx, 200, me);
    });

    api.get(a, v1 + "/users", Permission.MANAGE_USERS, ctx -> ApiServer.json(ctx, 200,
        controller.state().users().stream().map(AccountsApi::view).toList()));
    api.get(a, v1 + "/users/{name}", Permission.READ_QUOTA, ctx -> {
      User u = visibleUser(ctx, Permission.READ_QUOTA, ctx.pathParam("name"));
      ApiServer.json(ctx, 200, view(u));
    });
    api.postBody(a, v1 + "/users", Permission.MANAGE_USERS, ctx -> {
      Accounts.UserRequest req = ApiJson.read(RequestGate.body(ctx), Accounts.UserRequest.class);
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 201, view(api.call(() -> accounts.createUser(req, p))));
    });
    api.delete(a, v1 + "/users/{name}", Permission.MANAGE_USERS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      api.call(() -> {
        accounts.deleteUser(ctx.pathParam("name"), p);
        return null;
      });
      ctx.status(204);
    });
    api.putBody(a, v1 + "/users/{name}/quota", Permission.MANAGE_USERS, ctx -> {
      Quota q = ApiJson.read(RequestGate.body(ctx), Quota.class);
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 200, view(api.call(() -> accounts.setQuota(ctx.pathParam("name"), q, p))));
    });
    api.putBody(a, v1 + "/users/{name}/password", Permission.MANAGE_TOKENS, ctx -> {
      String password = ApiJson.read(RequestGate.body(ctx), PasswordBody.class).password();
      User u = visibleUser(ctx, Permission.MANAGE_TOKENS, ctx.pathParam("name"));
      Principal p = RequestGate.principal(ctx);
      if (password != null) {
        Passwords.checkNew("password", password); // before the loop: a bad one costs no hash
      }
      ApiServer.json(ctx, 200, view(api.call(() -> accounts.setPassword(u.name(), password, p))));
    });
    api.get(a, v1 + "/groups", Permission.MANAGE_USERS, ctx -> ApiServer.json(ctx, 200,
        controller.state().groups().stream().map(this::view).toList()));
    api.putBody(a, v1 + "/groups/{name}/quota", Permission.MANAGE_USERS, ctx -> {
      Quota q = ApiJson.read(RequestGate.body(ctx), Quota.class);
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 200, view(api.call(() -> accounts.setGroupQuota(ctx.pathParam("name"), q, p))));
    });
    api.get(a, v1 + "/quota", Permission.READ_QUOTA, Set.of("user"), ctx -> {
      String user = ctx.queryParam("user");
      User u = visibleUser(ctx, Permission.READ_QUOTA, user == null ? RequestGate.principal(ctx).name() : user);
      ApiServer.json(ctx, 200, api.call(() -> accounts.quota(u.name())));
    });

    api.get(a, v1 + "/tokens", Permission.MANAGE_TOKENS, Set.of("user"), ctx -> {
      Principal p = RequestGate.principal(ctx);
      String user = ctx.queryParam("user");
      if (user != null) {
        visibleUser(ctx, Permission.MANAGE_TOKENS, user);
      }
      String only = user != null ? user : p.isAdmin() ? null : p.name();
      ApiServer.json(ctx, 200, controller.state().tokens().stream()
          .filter(t -> only == null || t.user().equals(only)).map(AccountsApi::view).toList());
    });
    api.postBody(a, v1 + "/tokens", Permission.MANAGE_TOKENS, ctx -> {
      String body = RequestGate.body(ctx);
      TokenBody req = body.isBlank() ? new TokenBody(null, null, null) : ApiJson.read(body, TokenBody.class);
      Principal p = RequestGate.principal(ctx);
      User u = visibleUser(ctx, Permission.MANAGE_TOKENS, req.user() == null ? p.name() : req.user());
      Duration life = lifetime(req.expiresIn());
      Tokens.Issued t = api.call(() -> accounts.createToken(u.name(), req.description(), life, p));
      ApiServer.json(ctx, 201, view(t, u));
    });
    api.delete(a, v1 + "/tokens/{id}", Permission.MANAGE_TOKENS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      String id = ctx.pathParam("id");
      ApiToken t = accounts.requireToken(id);
      if (!api.allowed(p, Permission.MANAGE_TOKENS, t.user())) {
        throw new NotFoundException("token", id, "`corral token list` shows your tokens");
      }
      api.call(() -> {
        accounts.revokeToken(id, p);
        return null;
      });
      ctx.status(204);
    });
    keyRoutes(a);
  }

  /** EC2 access keys (docs/ec2-api.md): the same rules as tokens, a developer's own only. */
  private void keyRoutes(Javalin a) {
    String v1 = ApiServer.V1;
    api.get(a, v1 + "/keys", Permission.MANAGE_TOKENS, Set.of("user"), ctx -> {
      Principal p = RequestGate.principal(ctx);
      String user = ctx.queryParam("user");
      if (user != null) {
        visibleUser(ctx, Permission.MANAGE_TOKENS, user);
      }
      String only = user != null ? user : p.isAdmin() ? null : p.name();
      ApiServer.json(ctx, 200, controller.state().accessKeys().stream()
          .filter(k -> only == null || k.user().equals(only))
          .map(k -> new AccessKeyView(k.id(), k.user(), k.description(), k.created())).toList());
    });
    api.postBody(a, v1 + "/keys", Permission.MANAGE_TOKENS, ctx -> {
      String body = RequestGate.body(ctx);
      KeyBody req = body.isBlank() ? new KeyBody(null, null) : ApiJson.read(body, KeyBody.class);
      Principal p = RequestGate.principal(ctx);
      User u = visibleUser(ctx, Permission.MANAGE_TOKENS, req.user() == null ? p.name() : req.user());
      AccessKeys.Issued k = api.call(() -> accounts.createAccessKey(u.name(), req.description(), p));
      ApiServer.json(ctx, 201, new NewAccessKey(k.key().id(), u.name(), k.secret(), k.key().created()));
    });
    api.delete(a, v1 + "/keys/{id}", Permission.MANAGE_TOKENS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      String id = ctx.pathParam("id");
      AccessKey k = accounts.requireAccessKey(id);
      if (!api.allowed(p, Permission.MANAGE_TOKENS, k.user())) {
        throw new NotFoundException("access key", id, "`corral keys list` shows your keys");
      }
      api.call(() -> {
        accounts.deleteAccessKey(id, p);
        return null;
      });
      ctx.status(204);
    });
  }

  /** POST /login: a password for a token; failures are limited per user and address, and journaled. */
  private void login(Context ctx) {
    LoginBody body = ApiJson.read(RequestGate.body(ctx), LoginBody.class);
    if (body.user() == null || body.user().isBlank()) {
      throw new InvalidInputException("user", "is missing", "send {\"user\": \"alice\", \"password\": \"...\"}");
    }
    if (body.password() == null || body.password().isEmpty()) {
      throw new InvalidInputException("password", "is missing", "send the user's password");
    }
    Duration life = lifetime(body.expiresIn());
    String user = body.user();
    String address = ctx.ip();
    boolean ok;
    try {
      ok = accounts.passwordMatches(user, body.password(), address);
    } catch (AccessDeniedException e) {
      api.call(() -> {
        accounts.loginFailed(user, address, "too many failed logins");
        return null;
      });
      throw e;
    }
    if (!ok) {
      api.call(() -> {
        accounts.loginFailed(user, address, "wrong user name or password");
        return null;
      });
      throw new AccessDeniedException(AccessDeniedException.Reason.UNAUTHENTICATED, "wrong user name or password");
    }
    Tokens.Issued t = api.call(() -> accounts.loggedIn(user, life, address));
    ApiServer.json(ctx, 201, view(t, accounts.requireUser(user)));
  }

  /** The user {@code name}, if the request's user may do {@code what} with them; else not found. */
  private User visibleUser(Context ctx, Permission what, String name) {
    Principal p = RequestGate.principal(ctx);
    User u = controller.state().user(name).orElse(null);
    if (u == null || !api.allowed(p, what, u.name())) {
      throw new NotFoundException("user", name, p.isAdmin() ? "`corral user list` shows the users" : "you may see only yourself, " + p.name());
    }
    return u;
  }

  private static @Nullable Duration lifetime(@Nullable String text) {
    return text == null ? null : ConfigReader.duration("expiresIn", text);
  }

  static UserView view(User u) {
    return new UserView(u.name(), u.role().label(), u.group(), u.quota(), u.passwordHash() != null, u.created());
  }

  static TokenView view(ApiToken t) {
    return new TokenView(t.id(), t.user(), t.description(), t.created(), t.expires());
  }

  private static NewToken view(Tokens.Issued t, User u) {
    return new NewToken(t.token().id(), u.name(), u.role().label(), t.text(), t.token().expires());
  }

  private GroupView view(Group g) {
    return new GroupView(g.name(), g.quota(), controller.state().users().stream()
        .filter(u -> g.name().equals(u.group())).map(User::name).toList());
  }
}
