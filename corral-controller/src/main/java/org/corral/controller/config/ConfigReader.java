package org.corral.controller.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.corral.controller.ControllerSettings;
import org.corral.controller.GuardianSettings;
import org.corral.controller.ServiceSettings;
import org.corral.controller.notify.Channel;
import org.corral.controller.notify.Notification;
import org.corral.controller.notify.Notifier;
import org.corral.controller.notify.SmtpMail;
import org.corral.controller.notify.Webhook;
import java.net.URI;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.api.ApiSettings;
import org.corral.controller.ec2.Ec2Settings;
import org.corral.controller.ec2.Flavour;
import org.corral.policy.consolidation.ConsolidationPolicies;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.consolidation.OverloadDetector;
import org.corral.policy.consolidation.VmSelector;
import org.corral.controller.command.HostRequest;
import org.corral.controller.executor.ExecutorSettings;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;
import org.corral.model.Secrets;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerSpec;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.vm.PlacementPolicy;
import org.corral.policy.placement.SchedulerSettings;

/** Reads corral.yaml. Every error names the field path and says how to fix it. */
public final class ConfigReader {
  // A key given twice is a mistake (the second would silently win), not a choice.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ConfigReader() {}

  /** A YAML document's tree (duplicate keys refused), or an error naming the source, line and column. */
  static @Nullable JsonNode yaml(String text, String source) {
    try {
      return YAML.readTree(text);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new InvalidInputException(source, "is not valid YAML" + (loc != null ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "")
          + ": " + e.getOriginalMessage(), "fix the syntax (indent with spaces, 'key: value')");
    }
  }

  /** The built-in configuration: a simulated lab of 16 hosts, embedded H2, API on localhost. */
  public static CorralConfig builtInLab() {
    try (InputStream in = ConfigReader.class.getResourceAsStream("/org/corral/controller/config/default-lab.yaml")) {
      return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "built-in lab", Map.of());
    } catch (IOException e) {
      throw new IllegalStateException("built-in lab configuration missing from the jar", e);
    }
  }

  public static CorralConfig read(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidInputException("--config", "cannot read " + file + ": " + e.getMessage(), "check the path and permissions");
    }
    return parse(text, file.toString(), env);
  }

  public static CorralConfig parse(String text, String source, Map<String, String> env) {
    JsonNode root = yaml(text, source);
    Node top = new Node(root, "").only("controller", "api", "store", "scheduler", "executor", "optimizer", "journal", "lab", "hosts",
        "networks", "images", "ha", "guardian", "ec2", "flavours");
    SchedulerSettings sched = scheduler(top.child("scheduler"));
    ExecutorSettings exec = executor(top.child("executor"), sched.cpuOvercommit());
    OptimizerSettings optimizer = optimizer(top.child("optimizer"));
    Node c = top.child("controller");
    if (c.has("downAfterPolls")) {
      throw new InvalidInputException("controller.downAfterPolls", "has moved to guardian.downAfter, counted in beats of guardian.beat",
          "write guardian: {beat: 1s, suspectAfter: 3, downAfter: 5} (the defaults), or leave it out");
    }
    c.only("seed", "monitorPeriod", "schedulerPeriod", "connectTimeout", "utilisationWindow");
    ControllerSettings d = ControllerSettings.DEFAULT;
    GuardianSettings guardian = guardian(top.child("guardian"), env);
    ControllerSettings controller = c.within(() -> new ControllerSettings(c.num("seed", d.seed()),
        c.duration("monitorPeriod", d.monitorPeriod()), c.duration("schedulerPeriod", d.schedulerPeriod()),
        c.duration("connectTimeout", d.connectTimeout()), guardian,
        c.integer("utilisationWindow", d.utilisationWindow()), sched, exec, optimizer, journal(top.child("journal"))));
    Node api = top.child("api").only("listen", "serverNames", "allowedOrigins", "readTimeout", "eventBacklog", "metrics", "tls");
    String listen = listen("api.listen", api.str("listen", "127.0.0.1:7070"));
    ApiSettings access = api.within(() -> new ApiSettings(api.texts("serverNames"), api.texts("allowedOrigins"),
        api.duration("readTimeout", ApiSettings.DEFAULT.readTimeout()),
        api.integer("eventBacklog", ApiSettings.DEFAULT.eventBacklog()), metricsAccess(api.str("metrics", "loopback")),
        tls(api)));
    CorralConfig.StoreConfig store = store(top.child("store"), env);
    return new CorralConfig(controller, listen, access, store, lab(top.child("lab")),
        hosts(top), networks(top), images(top), ha(top.child("ha"), store), ec2(top.child("ec2"), flavours(top), env));
  }

  /** The ec2 section: listen (host:port, or off), region and tls; the flavours it offers as instance types. */
  private static Ec2Settings ec2(Node e, List<Flavour> flavours, Map<String, String> env) {
    e.only("listen", "region", "tls");
    String text = e.optStr("listen");
    String listen = text == null ? Ec2Settings.DEFAULT_LISTEN : "off".equals(text) ? null : listen("ec2.listen", text);
    String region = e.str("region", Ec2Settings.DEFAULT.region());
    Ec2Settings.Tls tls = null;
    if (e.has("tls")) {
      Node t = e.child("tls").only("certificate", "key", "keystore", "passwordEnv", "passwordFile");
      String cert = t.optStr("certificate");
      String key = t.optStr("key");
      String store = t.optStr("keystore");
      tls = new Ec2Settings.Tls(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key), store == null ? null : Path.of(store),
          secret(t, "passwordEnv", "passwordFile", env));
    }
    Ec2Settings.Tls https = tls;
    return e.within(() -> new Ec2Settings(listen, region, text != null, flavours, https));
  }

  /** Top-level {@code flavours: {NAME: {cpus, memoryMib}}}; {@link Flavour#DEFAULTS} when absent. */
  private static List<Flavour> flavours(Node top) {
    if (!top.has("flavours")) {
      return Flavour.DEFAULTS;
    }
    Map<String, Node> given = top.children("flavours");
    if (given.isEmpty()) {
      throw new InvalidInputException("flavours", "names no flavour", "give at least one, e.g. flavours: {small: {cpus: 1, memoryMib: 2048}},"
          + " or leave flavours out for the default table (docs/ec2-api.md)");
    }
    List<Flavour> out = new ArrayList<>();
    given.forEach((name, n) -> {
      n.only("cpus", "memoryMib");
      if (!n.has("cpus") || !n.has("memoryMib")) {
        throw new InvalidInputException(n.path, "needs cpus and memoryMib", name + ": {cpus: 2, memoryMib: 4096}");
      }
      out.add(n.within(() -> new Flavour(name, n.integer("cpus", 0), n.num("memoryMib", 0))));
    });
    return List.copyOf(out);
  }

  /** The guardian section: liveness beats and crash restarts; what is left out takes its default. */
  private static GuardianSettings guardian(Node g, Map<String, String> env) {
    g.only("beat", "suspectAfter", "downAfter", "crashRestarts", "notify", "services", "softFencing", "spares", "heartbeat", "spareReturn");
    org.corral.policy.recovery.GuestHeartbeat heartbeat = org.corral.policy.recovery.GuestHeartbeat.OFF;
    if (g.has("heartbeat")) {
      Node hb = g.child("heartbeat").only("interval", "missed");
      heartbeat = GuardianSettings.heartbeat(hb.duration("interval", Duration.ofSeconds(10)), hb.integer("missed", 3));
    }
    java.util.Set<String> spares = new java.util.TreeSet<>();
    List<String> named = g.texts("spares");
    for (int i = 0; i < named.size(); i++) {
      String field = "guardian.spares[" + i + "]";
      String name = named.get(i);
      org.corral.model.Names.require(field, name);
      if (!spares.add(name)) {
        throw new InvalidInputException(field, InvalidInputException.quote(name) + " is listed twice", "list each spare host once");
      }
    }
    GuardianSettings d = GuardianSettings.DEFAULT;
    Node r = g.child("crashRestarts").only("max", "window", "backoff");
    var restarts = GuardianSettings.crashRestarts(r.integer("max", d.crashRestarts().max()),
        r.duration("window", d.crashRestarts().window()), r.duration("backoff", d.crashRestarts().backoff()));
    Node n = g.child("notify").only("webhooks", "email", "attempts", "backoff", "queue", "timeout");
    Duration timeout = n.duration("timeout", Duration.ofSeconds(10));
    List<Channel> channels = new ArrayList<>();
    for (Node w : n.list("webhooks")) {
      w.only("url", "secretEnv", "secretFile", "events");
      String url = w.requireStr("url", "https://ops.example.com/hooks/corral");
      Secrets.refuseInline(w.path + ".url", url);
      URI uri;
      try {
        uri = new URI(url);
      } catch (java.net.URISyntaxException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new InvalidInputException(w.path + ".url", InvalidInputException.quote(url) + " is not an http(s) URL",
            "e.g. url: https://ops.example.com/hooks/corral");
      }
      String key = secret(w, "secretEnv", "secretFile", env);
      if (key == null) {
        throw new InvalidInputException(w.path + ".secretEnv", "is missing: every webhook is signed (HMAC-SHA256)",
            "put a random key in an environment variable and name it, e.g. secretEnv: CORRAL_WEBHOOK_KEY (or secretFile: /etc/corral/webhook.key)");
      }
      channels.add(new Webhook(uri, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), events(w), timeout));
    }
    if (n.has("email")) {
      Node m = n.child("email").only("server", "tls", "starttls", "trust", "user", "passwordEnv", "passwordFile", "from", "to",
          "events");
      String server = m.requireStr("server", "smtp.example.com:465");
      if (!server.matches("[^:\\s]+:\\d{1,5}")) {
        throw new InvalidInputException(m.path + ".server", InvalidInputException.quote(server) + " is not host:port", "e.g. server: smtp.example.com:465");
      }
      String user = m.optStr("user");
      String password = secret(m, "passwordEnv", "passwordFile", env);
      boolean starttls = m.bool("starttls", false);
      boolean tls = m.bool("tls", user != null && !starttls);
      if (tls && starttls) {
        throw new InvalidInputException(m.path + ".starttls", "cannot be combined with tls: true (implicit TLS from the first byte)",
            "keep tls: true for the SMTPS port (465), or starttls: true for the submission port (587)");
      }
      if (user != null && !tls && !starttls) {
        throw new InvalidInputException(m.path + ".tls", "is false while a user is given: the password would cross the network in clear",
            "use the server's SMTPS port with tls: true, its submission port with starttls: true, or a relay that needs no login");
      }
      String trustFile = m.optStr("trust");
      if (trustFile != null && !tls && !starttls) {
        throw new InvalidInputException(m.path + ".trust", "is given without TLS: there is no certificate to check",
            "set tls: true or starttls: true, or leave trust out");
      }
      javax.net.ssl.SSLContext trust = trustFile == null ? null
          : org.corral.controller.api.TlsFiles.trusting(m.path + ".trust", Path.of(trustFile));
      if ((user == null) != (password == null)) {
        throw new InvalidInputException(m.path + (user == null ? ".user" : ".passwordEnv"), "is missing: a login needs both user and password",
            "give user and passwordEnv (or passwordFile), or neither");
      }
      List<String> to = m.texts("to");
      if (to.isEmpty()) {
        throw new InvalidInputException(m.path + ".to", "is empty", "list who is told, e.g. to: [ops@example.com]");
      }
      String from = m.requireStr("from", "corral@example.com");
      for (String address : concat(from, to)) {
        if (!address.matches("[^<>\\s@]+@[^<>\\s@]+")) {
          throw new InvalidInputException(m.path + (address.equals(from) ? ".from" : ".to"), InvalidInputException.quote(address)
              + " is not an e-mail address", "e.g. ops@example.com");
        }
      }
      int colon = server.lastIndexOf(':');
      SmtpMail.Security security = tls ? SmtpMail.Security.TLS : starttls ? SmtpMail.Security.STARTTLS : SmtpMail.Security.PLAIN;
      channels.add(new SmtpMail(new SmtpMail.Server(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)), security,
          user, password, trust), from, to, events(m), timeout));
    }
    Notifier.Retry rd = Notifier.Retry.DEFAULT;
    Notifier.Retry retry = new Notifier.Retry(n.integer("attempts", rd.attempts()), n.duration("backoff", rd.backoff()),
        n.integer("queue", rd.queue()));
    Node sv = g.child("services").only("failuresPerStep", "flapping", "checkInterval", "timeout");
    Node fl = sv.child("flapping").only("restarts", "within", "pause");
    ServiceSettings sd = ServiceSettings.DEFAULT;
    ServiceSettings services = ServiceSettings.of(sv.integer("failuresPerStep", sd.escalation().perStep()),
        fl.integer("restarts", sd.escalation().flapRestarts()), fl.duration("within", sd.escalation().flapWindow()),
        fl.duration("pause", sd.escalation().flapPause()), sv.duration("checkInterval", sd.checkInterval()),
        sv.duration("timeout", sd.timeout()));
    Node sf = g.child("softFencing").only("timeout", "grace");
    var soft = new org.corral.policy.recovery.Recovery.SoftFencing(sf.duration("timeout", d.softFencing().timeout()),
        sf.duration("grace", d.softFencing().grace()));
    return new GuardianSettings(g.duration("beat", d.beat()), g.integer("suspectAfter", d.suspectAfter()),
        g.integer("downAfter", d.downAfter()), restarts, channels, retry, services, soft, spares, heartbeat,
        g.bool("spareReturn", d.spareReturn()));
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest);
    all.add(0, first);
    return all;
  }

  /** A channel's events: all when left out; each must be one Corral sends. */
  private static java.util.Set<String> events(Node c) {
    List<String> events = c.texts("events");
    for (String e : events) {
      if (!Notification.EVENTS.contains(e)) {
        throw new InvalidInputException(c.path + ".events", InvalidInputException.quote(e) + " is not an event",
            "choose from " + String.join(", ", new java.util.TreeSet<>(Notification.EVENTS)) + ", or leave events out for all");
      }
    }
    return java.util.Set.copyOf(events);
  }

  /**
   * A secret named by an environment variable ({@code envKey}) or a file ({@code fileKey}), never
   * written in the file itself; null when neither is given.
   */
  private static @Nullable String secret(Node s, String envKey, String fileKey, Map<String, String> env) {
    if (s.has(envKey) && s.has(fileKey)) {
      throw new InvalidInputException(s.path + "." + envKey, "cannot be combined with " + s.path + "." + fileKey, "keep one of them");
    }
    if (s.has(envKey)) {
      String var = Objects.requireNonNull(s.optStr(envKey), "present: has() said so above");
      String value = env.get(var);
      if (value == null) {
        throw new InvalidInputException(s.path + "." + envKey, "environment variable " + var + " is not set", "export " + var + "=... before starting Corral");
      }
      return value;
    }
    if (s.has(fileKey)) {
      Path p = Path.of(Objects.requireNonNull(s.optStr(fileKey), "present: has() said so above"));
      try {
        return Files.readString(p).strip();
      } catch (IOException e) {
        throw new InvalidInputException(s.path + "." + fileKey, "cannot read " + p, "check the path and that only Corral's user can read it");
      }
    }
    return null;
  }

  /** The ha section, or null when there is none (one controller). */
  private static CorralConfig.@Nullable HaConfig ha(Node h, CorralConfig.StoreConfig store) {
    if (h.json == null || h.json.isNull()) {
      return null;
    }
    h.only("name", "advertise", "lease", "renewEvery");
    return h.within(() -> {
      String name = h.str("name", "");
      if (name.isBlank()) {
        throw new InvalidInputException("ha.name", "is missing", "name this controller among those sharing the database, e.g. name: c1");
      }
      String advertise = h.str("advertise", "");
      if (!advertise.startsWith("http://") && !advertise.startsWith("https://")) {
        throw new InvalidInputException("ha.advertise", InvalidInputException.quote(advertise) + " is not an http(s) URL",
            "give the address clients reach this controller's API at, e.g. advertise: http://10.0.0.5:7070");
      }
      Duration lease = h.duration("lease", Duration.ofSeconds(3));
      Duration renew = h.duration("renewEvery", Duration.ofSeconds(1));
      if (renew.multipliedBy(2).compareTo(lease) > 0) {
        throw new InvalidInputException("ha.renewEvery", renew + " leaves no room in a lease of " + lease,
            "renew at least twice per lease, e.g. lease: 3s, renewEvery: 1s");
      }
      if (store.url() == null || !store.url().startsWith("jdbc:postgresql:")) {
        throw new InvalidInputException("store.url", "must be a PostgreSQL database when ha is set (controllers share it)",
            "set store.url: jdbc:postgresql://HOST:PORT/DB on every controller, or remove the ha section");
      }
      return new CorralConfig.HaConfig(name, advertise.replaceAll("/+$", ""), lease, renew);
    });
  }

  private static ApiSettings.MetricsAccess metricsAccess(String text) {
    return switch (text) {
      case "loopback" -> ApiSettings.MetricsAccess.LOOPBACK;
      case "token" -> ApiSettings.MetricsAccess.TOKEN;
      default -> throw new InvalidInputException("api.metrics", InvalidInputException.quote(text) + " is not a choice",
          "use loopback (no token needed from this machine) or token (always a token)");
    };
  }

  private static ApiSettings.@Nullable Tls tls(Node api) {
    if (!api.has("tls")) {
      return null;
    }
    Node t = api.child("tls").only("certificate", "key");
    String cert = t.optStr("certificate");
    String key = t.optStr("key");
    if (cert == null || key == null) {
      throw new InvalidInputException("api.tls", "needs both certificate and key", "tls: {certificate: /etc/corral/tls.crt, key: /etc/corral/tls.key}");
    }
    return new ApiSettings.Tls(java.nio.file.Path.of(cert), java.nio.file.Path.of(key));
  }

  /** A duration as corral.yaml writes it (500ms, 10s, 5m, 1h, 30d), for API fields that take one. */
  public static java.time.Duration duration(String field, String text) {
    return Node.parseDuration(field, text);
  }

  private static org.corral.controller.JournalRetention journal(Node j) {
    j.only("maxAge", "maxEntries", "every");
    var d = org.corral.controller.JournalRetention.DEFAULT;
    return j.within(() -> new org.corral.controller.JournalRetention(j.duration("maxAge", d.maxAge()),
        j.num("maxEntries", d.maxEntries()), j.duration("every", d.every())));
  }

  private static SchedulerSettings scheduler(Node s) {
    s.only("policy", "cpuOvercommit");
    String p = s.str("policy", "packing");
    PlacementPolicy policy;
    try {
      policy = PlacementPolicy.valueOf(p.toUpperCase().replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("scheduler.policy", "'" + p + "' is not a policy", "use packing, striping, load-aware or power-aware");
    }
    if (policy == PlacementPolicy.CUSTOM) {
      throw new InvalidInputException("scheduler.policy", "custom needs a rank expression per VM", "use packing, striping, load-aware or power-aware as the default");
    }
    return s.within(() -> new SchedulerSettings(policy, s.dbl("cpuOvercommit", 1.0)));
  }

  /**
   * The optimizer section: a preset (default or enersis) and any of its settings overridden; every
   * error names its field, e.g. {@code optimizer.detector}.
   */
  /**
   * The optimizer section given as JSON (the API's {@code PUT /optimizer}): the same rules and
   * errors as in corral.yaml, fields named {@code optimizer.*}. Fields left out take the preset's
   * values.
   */
  public static OptimizerSettings optimizer(com.fasterxml.jackson.databind.JsonNode section) {
    if (section == null || !section.isObject()) {
      throw new InvalidInputException("optimizer", "must be an object", "send e.g. {\"automation\": \"full\"}");
    }
    return optimizer(new Node(section, "optimizer"));
  }

  private static OptimizerSettings optimizer(Node o) {
    o.only("automation", "groups", "period", "preset", "detector", "selection", "lower", "upper", "cooldown", "maxMigrations",
        "reserveHosts", "emptySamples", "migrationMibPerSecond", "minSavingWatts");
    OptimizerSettings d = OptimizerSettings.DEFAULT;
    OptimizerSettings.Automation automation = automation("optimizer.automation", o.str("automation", d.automation().name()));
    List<OptimizerSettings.Group> groups = new ArrayList<>();
    List<Node> groupNodes = o.list("groups");
    for (int i = 0; i < groupNodes.size(); i++) {
      Node g = groupNodes.get(i).only("labels", "automation");
      String field = "optimizer.groups[" + i + "]";
      Map<String, String> labels = g.strings("labels");
      OptimizerSettings.Automation level = automation(field + ".automation", g.str("automation", "recommend"));
      groups.add(g.within(() -> new OptimizerSettings.Group(labels, level), "optimizer.groups[].labels", "labels"));
    }
    String preset = o.str("preset", "default");
    ConsolidationSettings base = switch (preset) {
      case "default" -> ConsolidationSettings.DEFAULT;
      case "enersis" -> ConsolidationSettings.ENERSIS;
      case "herd" -> ConsolidationSettings.HERD;
      default -> throw new InvalidInputException("optimizer.preset", "'" + preset + "' is not a preset",
          "use default (Corral's cautious settings), herd (Corral's own consolidation policy, docs/energy.md) or enersis "
              + "(the energy study's rules)");
    };
    OverloadDetector detector = o.has("detector")
        ? ConsolidationPolicies.detector("optimizer.detector", o.str("detector", "")) : base.detector();
    VmSelector selector = o.has("selection")
        ? ConsolidationPolicies.selector("optimizer.selection", o.str("selection", "")) : base.selector();
    ConsolidationSettings consolidation = o.within(() -> new ConsolidationSettings(detector, selector,
        o.dbl("lower", base.lower()), o.dbl("upper", base.upper()), o.duration("cooldown", base.cooldown()),
        o.integer("maxMigrations", Math.min(base.maxMigrations(), 1_000_000)), o.integer("reserveHosts", base.reserveHosts()),
        o.integer("emptySamples", base.emptySamples()), o.dbl("migrationMibPerSecond", base.migrationMibPerSecond()),
        o.dbl("minSavingWatts", base.minSavingWatts()), base.rules()));
    Duration period = o.duration("period", preset.equals("enersis") ? Duration.ofSeconds(10) : d.period());
    return o.within(() -> new OptimizerSettings(automation, period, consolidation, groups));
  }

  /** An automation level as written in corral.yaml and the API (off, recommend, partial, full); an error names {@code field}. */
  public static OptimizerSettings.Automation automation(String field, String a) {
    if ("false".equals(a)) {
      return OptimizerSettings.Automation.OFF; // YAML 1.1 reads a bare `off` as the boolean false
    }
    try {
      return OptimizerSettings.Automation.valueOf(a.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field, "'" + a + "' is not an automation level",
          "use off, recommend (show the plan only), partial (migrations automatic, power actions approved) or full");
    }
  }

  private static ExecutorSettings executor(Node e, double overcommit) {
    e.only("maxConcurrent", "maxPerHost", "maxMigrations", "maxMigrationsPerHost", "maxPowerActions", "actionTimeout",
        "maxAttempts", "backoffBase", "backoffMax", "shutdownTimeout", "powerOnTimeout", "powerOffTimeout", "powerPollInterval",
        "migrationBandwidthMibPerSec", "migrationAutoConverge", "migrationTimeout", "migrationUnsafe");
    ExecutorSettings d = ExecutorSettings.DEFAULT;
    MigrationOptions m = new MigrationOptions(e.num("migrationBandwidthMibPerSec", 0), e.bool("migrationAutoConverge", true),
        e.duration("migrationTimeout", d.migration().timeout()), e.bool("migrationUnsafe", false));
    return new ExecutorSettings(e.integer("maxConcurrent", d.maxConcurrent()), e.integer("maxPerHost", d.maxPerHost()),
        e.integer("maxMigrations", d.maxMigrations()), e.integer("maxMigrationsPerHost", d.maxMigrationsPerHost()),
        e.integer("maxPowerActions", d.maxPowerActions()), e.duration("actionTimeout", d.actionTimeout()),
        e.integer("maxAttempts", d.maxAttempts()), e.duration("backoffBase", d.backoffBase()), e.duration("backoffMax", d.backoffMax()),
        e.duration("shutdownTimeout", d.shutdownTimeout()), e.duration("powerOnTimeout", d.powerOnTimeout()),
        e.duration("powerOffTimeout", d.powerOffTimeout()), e.duration("powerPollInterval", d.powerPollInterval()), overcommit, m);
  }

  private static CorralConfig.StoreConfig store(Node s, Map<String, String> env) {
    s.only("url", "user", "passwordEnv", "passwordFile");
    String url = Secrets.refuseInline("store.url", s.optStr("url"));
    if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:") && !url.equals(CorralConfig.MEMORY_STORE)) {
      throw new InvalidInputException("store.url", InvalidInputException.quote(url) + " is not a PostgreSQL or H2 JDBC URL",
          "e.g. jdbc:postgresql://db1:5432/corral, " + CorralConfig.MEMORY_STORE
              + " (nothing survives a restart: simulations and benchmarks), or leave it out for the embedded database");
    }
    String password = secret(s, "passwordEnv", "passwordFile", env);
    return new CorralConfig.StoreConfig(url, s.optStr("user"), password);
  }

  private static CorralConfig.@Nullable LabConfig lab(Node l) {
    if (l.json == null || l.json.isNull()) {
      return null;
    }
    l.only("name", "hosts", "latencies", "stateFile", "leaseTime", "softFencing");
    List<CorralConfig.LabHostGroup> groups = new ArrayList<>();
    for (Node g : l.list("hosts")) {
      g.only("prefix", "count", "cores", "mhz", "memoryMib", "idleWatts", "maxWatts", "labels");
      String prefix = g.requireStr("prefix", "node");
      int count = g.integer("count", 1);
      if (count < 1 || count > 100_000) {
        throw new InvalidInputException(g.path + ".count", "must be between 1 and 100000, got " + count, "e.g. count: 8");
      }
      int cores = g.integer("cores", 16);
      int mhz = g.integer("mhz", 2600);
      long mem = g.num("memoryMib", 65536);
      g.within(() -> new HostCapacity(cores, mhz, mem),
          "capacity.cores", "cores", "capacity.mhzPerCore", "mhz", "capacity.memoryMib", "memoryMib");
      double idle = g.dbl("idleWatts", 100);
      double max = g.dbl("maxWatts", 250);
      g.within(() -> org.corral.model.host.PowerModel.linear(idle, max), "powerModel.maxWatts", "maxWatts",
          "powerModel.watts[0]", "idleWatts");
      groups.add(new CorralConfig.LabHostGroup(prefix, count, cores, mhz, mem, idle, max, g.strings("labels")));
    }
    if (groups.isEmpty()) {
      throw new InvalidInputException("lab.hosts", "is empty", "give at least one group: - {prefix: node, count: 4, cores: 16, memoryMib: 65536}");
    }
    Node t = l.child("latencies").only("define", "boot", "shutdown", "migrationBase", "migrationMibPerSecond", "powerOn", "powerOff");
    CorralConfig.LabLatencies lat = new CorralConfig.LabLatencies(t.optDuration("define"), t.optDuration("boot"),
        t.optDuration("shutdown"), t.optDuration("migrationBase"),
        t.has("migrationMibPerSecond") ? t.dbl("migrationMibPerSecond", 0) : null, t.optDuration("powerOn"), t.optDuration("powerOff"));
    if (lat.migrationMibPerSecond() != null && !(lat.migrationMibPerSecond() > 0)) {
      // Checked here so the mistake is reported with its path before anything starts.
      throw new InvalidInputException(t.path + ".migrationMibPerSecond", "must be positive, got " + lat.migrationMibPerSecond(),
          "give the copy rate in MiB/s, e.g. 1000");
    }
    String name = l.str("name", "lab");
    l.within(() -> org.corral.model.Names.require("name", name));
    Duration leaseTime = l.optDuration("leaseTime");
    if (leaseTime != null && (leaseTime.isZero() || leaseTime.isNegative())) {
      throw new InvalidInputException(l.path + ".leaseTime", "must be a positive duration", "write it like 10s (the default)");
    }
    return new CorralConfig.LabConfig(name, groups, lat, l.bool("stateFile", true), leaseTime, l.bool("softFencing", false));
  }

  private static List<HostRequest> hosts(Node top) {
    List<HostRequest> out = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Node h : top.list("hosts")) {
      h.only("name", "uri", "capacity", "labels", "power", "powerModel", "lockManager", "leaseDir");
      String name = h.requireStr("name", "node1");
      h.within(() -> org.corral.model.Names.require("name", name));
      if (!names.add(name)) {
        throw new InvalidInputException(h.path + ".name", "'" + name + "' is listed twice", "give each host its own name");
      }
      String uri = h.requireStr("uri", "qemu+ssh://root@" + name + "/system");
      HostCapacity cap = null;
      if (h.has("capacity")) {
        Node c = h.child("capacity").only("cores", "mhzPerCore", "memoryMib");
        cap = h.within(() -> new HostCapacity(c.integer("cores", 0), c.integer("mhzPerCore", 0), c.num("memoryMib", 0)));
      }
      Node p = h.child("power").only("on", "off", "mac", "soft");
      PowerSpec power = new PowerSpec(p.optStr("on"), p.optStr("off"), p.optStr("mac"), p.optStr("soft"));
      HostRequest.PowerModelRequest pm = null;
      if (h.has("powerModel")) {
        Node m = h.child("powerModel").only("idleWatts", "maxWatts", "watts", "offWatts");
        pm = new HostRequest.PowerModelRequest(m.has("idleWatts") ? m.dbl("idleWatts", 0) : null,
            m.has("maxWatts") ? m.dbl("maxWatts", 0) : null, m.has("watts") ? m.doubles("watts") : null,
            m.has("offWatts") ? m.dbl("offWatts", 0) : null);
        try {
          org.corral.controller.command.Commands.powerModel(pm);
        } catch (InvalidInputException e) {
          // The model names its fields from "powerModel"; here that is this host's powerModel.
          String sub = e.field().replaceFirst("^powerModel\\.?", "");
          String message = Objects.requireNonNull(e.getMessage(), "an InvalidInputException always has a message");
          throw new InvalidInputException(m.path + (sub.isEmpty() ? "" : "." + sub),
              message.substring(Math.min(message.length(), e.field().length() + 2)), null);
        }
      }
      HostCapacity capacity = cap;
      HostRequest.PowerModelRequest model = pm;
      String lockKind = h.optStr("lockManager");
      String leaseDir = h.optStr("leaseDir");
      org.corral.model.host.LockManager lock = h.within(() -> org.corral.model.host.LockManager.parse("lockManager", lockKind, leaseDir),
          "lockManager.leaseDir", "leaseDir");
      out.add(h.within(() -> new HostRequest(name, uri, capacity, h.strings("labels"), power, model, lock)));
    }
    return out;
  }

  // Network validates its own components: a missing (null) name, bridge or cidr is an
  // InvalidInputException naming the field, a missing macStart takes the default. NullAway sees
  // only the components' non-null types, so passing what the YAML left out is suppressed here.
  @SuppressWarnings("NullAway")
  private static List<Network> networks(Node top) {
    List<Network> out = new ArrayList<>();
    for (Node n : top.list("networks")) {
      n.only("name", "bridge", "cidr", "gateway", "firstIp", "lastIp", "macStart");
      out.add(n.within(() -> new Network(n.optStr("name"), n.optStr("bridge"), n.optStr("cidr"), n.optStr("gateway"),
          n.optStr("firstIp"), n.optStr("lastIp"), n.optStr("macStart"))));
    }
    return out;
  }

  // Image validates its own components likewise (a missing name, pool or volume is an error naming
  // it, a missing format is qcow2); suppressed for the same reason as networks().
  @SuppressWarnings("NullAway")
  private static List<Image> images(Node top) {
    List<Image> out = new ArrayList<>();
    for (Node i : top.list("images")) {
      i.only("name", "pool", "volume", "format", "sizeGib", "shared", "kernel", "initrd", "cmdline");
      out.add(i.within(() -> new Image(i.optStr("name"), i.optStr("pool"), i.optStr("volume"), i.optStr("format"),
          i.num("sizeGib", 0), i.bool("shared", false), i.optStr("kernel"), i.optStr("initrd"), i.optStr("cmdline"))));
    }
    return out;
  }

  /**
   * Checks an API address, host:port with a port from 0 (any free one) to 65535, for corral.yaml's
   * api.listen and the --listen option ({@code field} names which); returns it unchanged.
   */
  public static String listen(String field, String text) {
    if (text == null || !text.matches("[^:\\s]+:\\d{1,5}")) {
      throw new InvalidInputException(field, InvalidInputException.quote(text) + " is not host:port", "e.g. 127.0.0.1:7070");
    }
    int port = Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
    if (port > 65535) {
      throw new InvalidInputException(field, "port " + port + " in '" + text + "' is above 65535", "e.g. 127.0.0.1:7070, or port 0 for any free port");
    }
    return text;
  }

}
