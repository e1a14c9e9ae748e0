package org.corral.controller.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.corral.model.cluster.Check;
import org.corral.model.cluster.CheckKind;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.ElasticitySpec;
import org.corral.model.cluster.Hook;
import org.corral.model.cluster.HookEvent;
import org.corral.model.cluster.HostPool;
import org.corral.model.cluster.MetricProbe;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.cluster.ScaleRule;
import org.corral.model.cluster.ScheduledCount;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;

/**
 * Reads a virtual cluster's spec (docs/virtual-clusters.md, examples/torque.yaml) and validates
 * its structure; every error names the field path as written in the YAML and the fix. Checks
 * against the world (hosts, CEL) are {@code policy.cluster.ClusterChecks}'.
 */
public final class ClusterSpecReader {
  /** The study's defaults: 1 vCPU, 1 GiB. */
  public static final VmSpec DEFAULT_TEMPLATE = VmSpec.of(1, 1024);
  private static final Pattern ADJUST = Pattern.compile("([+-]?\\d{1,9})\\s*(%)?");

  private ClusterSpecReader() {}

  public static ClusterSpec parse(String text, String source) {
    JsonNode root = ConfigReader.yaml(text, source);
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new InvalidInputException(source, "is empty", "see examples/web.yaml");
    }
    Node top = new Node(root, "").only("name", "hosts", "template", "roles", "guest");
    Node pool = top.child("hosts").only("names", "selector");
    HostPool hosts = new HostPool(pool.texts("names"), pool.strings("selector"));
    VmSpec template = top.has("template") ? template(top.child("template"), DEFAULT_TEMPLATE) : DEFAULT_TEMPLATE;
    List<RoleSpec> roles = new ArrayList<>();
    for (Node r : top.list("roles")) {
      roles.add(role(r, template));
    }
    return new ClusterSpec(top.requireStr("name", "web"), hosts, template, roles, top.optStr("guest")).validate();
  }

  private static VmSpec template(Node t, VmSpec base) {
    t.only("cpus", "memoryMib", "image", "diskGib", "networks", "userData", "requirements", "labels", "ha");
    List<DiskSpec> disks = t.has("image") ? List.of(new DiskSpec(t.requireStr("image", "debian-12"), t.num("diskGib", 0))) : base.disks();
    List<NicSpec> nics = t.has("networks") ? t.texts("networks").stream().map(NicSpec::new).toList() : base.nics();
    String ha = t.optStr("ha");
    HaLevel level = base.ha();
    if (ha != null) {
      try {
        level = HaLevel.valueOf(ha.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(t.path + ".ha", InvalidInputException.quote(ha) + " is not an HA level",
            "one of " + java.util.Arrays.toString(HaLevel.values()).toLowerCase(Locale.ROOT));
      }
    }
    var labels = t.has("labels") ? t.strings("labels") : base.labels();
    return new VmSpec(t.integer("cpus", base.cpus()), t.num("memoryMib", base.memoryMib()), disks, nics,
        t.str("requirements", base.requirements() == null ? "" : base.requirements()), null, null, null, null, level,
        t.str("userData", base.userData() == null ? "" : base.userData()), labels);
  }

  private static RoleSpec role(Node r, VmSpec clusterTemplate) {
    r.only("name", "count", "min", "max", "template", "antiAffinity", "requirements", "dependsOn", "hostedBy", "readiness", "health", "hooks", "elasticity",
        "metrics");
    int count = r.integer("count", r.integer("min", 1));
    int min = r.integer("min", count);
    int max = r.integer("max", count);
    @Nullable VmSpec template = r.has("template") ? template(r.child("template"), clusterTemplate) : null;
    @Nullable Boolean anti = r.has("antiAffinity") ? r.bool("antiAffinity", true) : null;
    List<Check> readiness = r.list("readiness").stream().map(ClusterSpecReader::check).toList();
    List<Check> health = r.list("health").stream().map(ClusterSpecReader::check).toList();
    List<Hook> hooks = r.list("hooks").stream().map(ClusterSpecReader::hook).toList();
    @Nullable ElasticitySpec elasticity = r.has("elasticity") ? elasticity(r.child("elasticity")) : null;
    List<MetricProbe> metrics = r.list("metrics").stream()
        .map(m -> new MetricProbe(m.only("name", "command", "runOn").requireStr("name", "queue"), m.texts("command"), m.optStr("runOn")))
        .toList();
    return new RoleSpec(r.requireStr("name", "web"), min, max, count, template, anti, r.optStr("requirements"), r.texts("dependsOn"),
        r.optStr("hostedBy"), readiness, health, hooks, elasticity, metrics);
  }

  private static ElasticitySpec elasticity(Node e) {
    e.only("period", "rules", "schedule");
    List<ScaleRule> rules = new ArrayList<>();
    for (Node r : e.list("rules")) {
      r.only("when", "for", "adjust", "cooldown");
      String adjust = r.requireStr("adjust", "+1");
      Matcher m = ADJUST.matcher(adjust.trim());
      if (!m.matches()) {
        throw new InvalidInputException(r.path + ".adjust", InvalidInputException.quote(adjust) + " is not an adjustment",
            "write a signed count or percentage, e.g. +1, -2, +50%");
      }
      int by;
      try {
        by = Integer.parseInt(m.group(1));
      } catch (NumberFormatException x) {
        throw new InvalidInputException(r.path + ".adjust", InvalidInputException.quote(adjust) + " is too large", "e.g. +1, -2, +50%");
      }
      rules.add(new ScaleRule(r.requireStr("when", "\"cpu.mean > 0.8\""), r.integer("for", 1), by, m.group(2) != null,
          r.duration("cooldown", ScaleRule.DEFAULT_COOLDOWN)));
    }
    List<ScheduledCount> schedule = e.list("schedule").stream()
        .map(c -> new ScheduledCount(c.only("cron", "count").requireStr("cron", "\"0 8 * * 1-5\""), c.integer("count", 0)))
        .toList();
    return new ElasticitySpec(e.duration("period", ElasticitySpec.DEFAULT_PERIOD), rules, schedule);
  }

  private static Check check(Node c) {
    c.only("tcp", "http", "path", "exec", "nagios", "timeout", "period", "failures", "supervisor", "restart");
    List<String> kinds = List.of("tcp", "http", "exec", "nagios").stream().filter(c::has).toList();
    if (kinds.size() != 1) {
      throw new InvalidInputException(c.path, kinds.isEmpty() ? "says no kind of check" : "gives several kinds of check: " + kinds,
          "give exactly one of tcp: PORT, http: PORT (with path), exec: [COMMAND...], nagios: [PLUGIN, ARGS...]");
    }
    CheckKind kind = CheckKind.valueOf(kinds.get(0).toUpperCase(Locale.ROOT));
    int port = kind == CheckKind.TCP || kind == CheckKind.HTTP ? c.integer(kinds.get(0), 0) : 0;
    List<String> command = kind == CheckKind.EXEC || kind == CheckKind.NAGIOS ? c.texts(kinds.get(0)) : List.of();
    return new Check(kind, port, kind == CheckKind.HTTP ? c.str("path", "/") : c.optStr("path"), command,
        c.duration("timeout", Check.DEFAULT_TIMEOUT), c.duration("period", Check.DEFAULT_PERIOD), c.integer("failures", 3), c.optStr("supervisor"),
        c.texts("restart"));
  }

  private static Hook hook(Node h) {
    h.only("on", "runOn", "command", "timeout", "retries", "backoff");
    String on = h.requireStr("on", "onCreate");
    HookEvent event = null;
    for (HookEvent e : HookEvent.values()) {
      if (e.yaml().equals(on)) {
        event = e;
      }
    }
    if (event == null) {
      throw new InvalidInputException(h.path + ".on", InvalidInputException.quote(on) + " is not a hook event",
          "one of " + String.join(", ", java.util.Arrays.stream(HookEvent.values()).map(HookEvent::yaml).toList()));
    }
    return new Hook(event, h.optStr("runOn"), h.texts("command"), h.duration("timeout", Hook.DEFAULT_TIMEOUT), h.integer("retries", 0),
        h.duration("backoff", Hook.DEFAULT_BACKOFF));
  }
}
