package org.corral.controller.ec2;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.corral.controller.Controller;
import org.corral.controller.auth.Accounts;
import org.corral.model.AccessDeniedException;
import org.corral.model.ConflictException;
import org.corral.model.CorralException;
import org.corral.model.IllegalTransitionException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.QuotaExceededException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EC2 Query API's listener (docs/ec2-api.md): GET or POST on {@code /}, the action and its
 * parameters in the query or a form body, every request signed with AWS Signature Version 4 by an
 * access key of a Corral user ({@code corral keys create}); answers in EC2's XML, errors with
 * EC2's codes and a request id. It has no route without authentication.
 */
public final class Ec2Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ec2Server.class);
  /** Largest body read: RunInstances with 16 KiB of user data, base64-encoded, is far below it. */
  static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final AtomicLong INCIDENTS = new AtomicLong();
  private final Controller controller;
  private final Accounts accounts;
  private final Ec2Settings settings;
  private final Ec2Actions actions;
  private @Nullable Javalin app;
  private int port = -1;

  public Ec2Server(Controller controller, Ec2Settings settings) {
    this.controller = controller;
    this.accounts = controller.accounts();
    this.settings = settings;
    this.actions = new Ec2Actions(controller, settings.region(), new InstanceTypes(settings.flavours()));
  }

  /** Starts listening on {@code host:port}; returns the bound port (useful with port 0). */
  public int start(String host, int port) {
    Ec2Settings.Tls tls = settings.tls();
    java.security.KeyStore keys = tls == null ? null : tls.keyStore();
    Javalin a = Javalin.create(cfg -> {
      if (keys != null) {
        org.corral.controller.api.TlsFiles.https(cfg, keys, host, port);
      }
      cfg.showJavalinBanner = false;
      cfg.useVirtualThreads = true;
      cfg.http.maxRequestSize = MAX_BODY_BYTES;
      // Signed headers must reach SigV4 as the client sent them: Jetty would otherwise hand over
      // its cached spelling of a common value (charset=UTF-8 for the SDK's charset=utf-8).
      cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
    });
    a.get("/", this::handle);
    a.post("/", this::handle);
    a.error(404, ctx -> error(ctx, new Ec2Exception("InvalidAction", 404, "The EC2 API answers on / only, not " + ctx.path()),
        UUID.randomUUID().toString()));
    a.error(405, ctx -> error(ctx, new Ec2Exception("InvalidAction", 405, "The EC2 API takes GET or POST on /"),
        UUID.randomUUID().toString()));
    try {
      if (keys != null) {
        a.start();
      } else {
        a.start(host, port);
      }
    } catch (RuntimeException e) {
      throw new InvalidInputException("ec2.listen", "cannot listen on " + host + ":" + port + ": " + e.getMessage(),
          "stop whatever uses the port, choose another with ec2.listen in corral.yaml, or set it to off");
    }
    app = a;
    this.port = a.port();
    return this.port;
  }

  /** The bound port, or -1 before {@link #start}. */
  public int port() {
    return port;
  }

  private void handle(Context ctx) {
    String requestId = UUID.randomUUID().toString();
    String action = "(unknown)";
    try {
      byte[] body = ctx.bodyAsBytes();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String name : Collections.list(ctx.req().getHeaderNames())) {
        headers.put(name, Collections.list(ctx.req().getHeaders(name)));
      }
      SigV4.Request request = new SigV4.Request(ctx.method().name(), ctx.req().getRequestURI(), ctx.queryString(), headers, body);
      SigV4.Credential credential = SigV4.credential(request);
      String keyId = credential.accessKeyId();
      String address = ctx.ip();
      long wait = accounts.signatureWaitSeconds(keyId, address);
      if (wait > 0) {
        throw new Ec2Exception("RequestLimitExceeded", 503, "Too many requests with a bad signature for this access key or from"
            + " this address; try again in " + wait + " s");
      }
      Accounts.KeyHolder holder = accounts.accessKeyHolder(keyId);
      if (holder == null) {
        throw refused(keyId, null, address, new Ec2Exception("AuthFailure", 401, "AWS was not able to validate the provided access"
            + " credentials: access key " + keyId + " does not exist (deleted, or mistyped); `corral keys list` shows yours"));
      }
      try {
        SigV4.verify(request, credential, holder.secret(), settings.region(), controller.clock().now());
      } catch (Ec2Exception e) {
        throw e.code().equals("AuthFailure") ? refused(keyId, holder.principal().name(), address, e) : e;
      }
      accounts.signatureAccepted(keyId);
      String contentType = ctx.contentType();
      String form = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
          ? new String(body, StandardCharsets.UTF_8) : null;
      Params params = Params.parse(ctx.queryString(), form);
      action = params.required("Action", "DescribeInstances");
      String xml = actions.run(action, params, holder.principal(), requestId);
      ctx.status(200).contentType("text/xml;charset=UTF-8").result(xml);
    } catch (Ec2Exception e) {
      error(ctx, e, requestId);
    } catch (CorralException e) {
      error(ctx, translate(e), requestId);
    } catch (RuntimeException e) {
      String incident = Long.toString(INCIDENTS.incrementAndGet());
      LOG.error("EC2 {} failed (incident {})", action, incident, e);
      error(ctx, new Ec2Exception("InternalError", 500, "Corral could not complete the request; the controller log has the"
          + " details under EC2 incident " + incident), requestId);
    }
  }

  /** Counts and journals a refused signature (as a failed login: never the secret); returns {@code e} to throw. */
  private Ec2Exception refused(String keyId, @Nullable String user, String address, Ec2Exception e) {
    accounts.signatureRefused(keyId, address);
    controller.call(() -> {
      accounts.loginFailed(user, address, "EC2 request with access key " + (org.corral.model.auth.AccessKey.isId(keyId) ? keyId
          : "(not a key id)") + " refused: " + e.code());
      return null;
    });
    return e;
  }

  /** A Corral error as EC2 names it. */
  static Ec2Exception translate(CorralException e) {
    return switch (e) {
      case QuotaExceededException q -> new Ec2Exception("InstanceLimitExceeded", 400, q.getMessage());
      case IllegalTransitionException t -> new Ec2Exception("IncorrectInstanceState", 400, t.getMessage());
      case ConflictException c -> new Ec2Exception("IncorrectInstanceState", 400, c.getMessage());
      case InvalidInputException i -> new Ec2Exception("InvalidParameterValue", 400, i.getMessage());
      case NotFoundException n -> new Ec2Exception("InvalidParameterValue", 400, n.getMessage());
      case AccessDeniedException a -> new Ec2Exception("UnauthorizedOperation", 403, a.getMessage());
    };
  }

  private static void error(Context ctx, Ec2Exception e, String requestId) {
    ctx.status(e.status()).contentType("text/xml;charset=UTF-8").result(Ec2Xml.error(e.code(), e.text(), requestId));
  }

  /** Actions this endpoint answers. */
  public static List<String> actions() {
    List<String> all = new ArrayList<>(Ec2Actions.ACTIONS);
    Collections.sort(all);
    return all;
  }

  @Override
  public void close() {
    Javalin a = app;
    if (a != null) {
      a.stop();
    }
  }
}
