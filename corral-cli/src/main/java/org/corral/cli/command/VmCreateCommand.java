package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.corral.cli.api.Json;
import org.corral.cli.convert.DiskConverter;
import org.corral.cli.convert.NonNegativeInt;
import org.corral.cli.convert.NonNegativeLong;
import org.corral.cli.convert.HaConverter;
import org.corral.cli.convert.PolicyConverter;
import org.corral.cli.render.Nodes;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.PlacementPolicy;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral vm create}: builds a VmRequest (docs/api.md) from options; the scheduler places it. */
@Command(name = "create", description = "Create a VM. It starts PENDING; the scheduler picks a host.")
public final class VmCreateCommand implements Callable<Integer> {
  private final Session session;

  @Spec
  CommandSpec spec;

  // picocli always sets it: the parameter is required.
  @SuppressWarnings("NullAway.Init")
  @Parameters(paramLabel = "NAME", description = "The VM's name (a DNS label, e.g. web1).")
  String name;

  @Option(names = "--cpus", required = true, paramLabel = "N", converter = NonNegativeInt.class, description = "vCPUs.")
  int cpus;

  @Option(names = "--memory", required = true, paramLabel = "MIB", converter = NonNegativeLong.class,
      description = "Memory in MiB, e.g. 2048.")
  long memoryMib;

  @Option(names = "--disk", paramLabel = "IMAGE[:SIZEGIB]", converter = DiskConverter.class,
      description = "A disk cloned from IMAGE, grown to SIZEGIB (default: the image's size). Repeatable.")
  List<DiskSpec> disks = new ArrayList<>();

  @Option(names = "--nic", paramLabel = "NETWORK", description = "A NIC on NETWORK, with an IP from its pool. Repeatable.")
  List<String> nics = new ArrayList<>();

  @Option(names = "--requires", paramLabel = "EXPR",
      description = "CEL expression a host must satisfy, e.g. 'host.labels[\"zone\"] == \"a\"'.")
  @Nullable String requirements;

  @Option(names = "--policy", paramLabel = "POLICY", converter = PolicyConverter.class,
      description = "Placement policy for this VM: packing, striping, load-aware, power-aware or custom.")
  @Nullable PlacementPolicy policy;

  @Option(names = "--rank", paramLabel = "EXPR", description = "CEL expression ranking hosts (higher wins); needs --policy custom.")
  @Nullable String rank;

  @Option(names = "--affinity", paramLabel = "GROUP", description = "Place with the other VMs of GROUP.")
  @Nullable String affinityGroup;

  @Option(names = "--anti-affinity", paramLabel = "GROUP", description = "Place apart from the other VMs of GROUP.")
  @Nullable String antiAffinityGroup;

  @Option(names = "--ha", paramLabel = "LEVEL", converter = HaConverter.class,
      description = "What happens when its host fails or it crashes: high (restarted first), medium (the default), "
          + "low (restarted last) or none (not restarted).")
  @Nullable HaLevel ha;

  @Option(names = "--user-data", paramLabel = "FILE", description = "cloud-init user data to give the guest.")
  @Nullable Path userData;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label on the VM. Repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--check", paramLabel = "NAME=KIND:WHAT",
      description = "A service checked inside the VM and healed by the Guardian (docs/high-availability.md). Repeatable. "
          + "KIND:WHAT is script:PROGRAM [ARGS] (the script contract: no argument checks, exit 0 healthy; start, stop, restart "
          + "as its argument), nagios:PLUGIN [ARGS] (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN), tcp:PORT or http:PORT[/PATH]. "
          + "Arguments are separated by spaces (no quoting; use the API for arguments with spaces).")
  Map<String, String> checks = new LinkedHashMap<>();

  @Option(names = "--check-restart", paramLabel = "NAME=PROGRAM [ARGS]",
      description = "How to restart the service of a nagios, tcp or http --check, e.g. web='systemctl restart nginx'. Repeatable.")
  Map<String, String> checkRestarts = new LinkedHashMap<>();

  @Option(names = "--check-after", paramLabel = "NAME=OTHER[,OTHER]",
      description = "The service NAME starts after OTHER, and is restarted after OTHER is. Repeatable.")
  Map<String, String> checkAfter = new LinkedHashMap<>();

  @Option(names = "--depends-on", paramLabel = "VM[,VM]", split = ",",
      description = "VMs this one depends on: it is placed only once they run, and its services are restarted after one of "
          + "them is restarted by the service checks. Each must exist. Repeatable.")
  List<String> dependsOn = new java.util.ArrayList<>();

  @Option(names = "--hold", description = "Create it HOLD: not placed until `corral vm release`.")
  boolean hold;

  @Option(names = "--count", paramLabel = "N", converter = NonNegativeInt.class,
      description = "Create N VMs alike, named NAME-1 .. NAME-N, in one request (all or none; more than "
          + MAX_PER_REQUEST + " go in requests of " + MAX_PER_REQUEST + ", each all or none).")
  @Nullable Integer count;

  /** VMs per request with --count: the API takes at most 10,000, and its body at most 1 MiB. */
  public static final int MAX_PER_REQUEST = 2000;

  @Mixin
  WaitOptions wait;

  public VmCreateCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    if (hold && wait.enabled()) {
      throw new ParameterException(spec.commandLine(), "--wait cannot be used with --hold: a held VM is not placed until released");
    }
    if (count != null) {
      return createMany(count);
    }
    JsonNode vm = session.api().post("/vms", request());
    String sentence = "vm " + name + " created" + Nodes.nowIn(vm);
    if (!wait.enabled()) {
      session.report(vm, sentence);
      return ExitCode.OK.code();
    }
    if (!session.json()) {
      session.out().println(sentence);
    }
    JsonNode last = wait.waiter(session).until(name, new WaitGoal.Running(), vm);
    if (session.json()) {
      session.printJson(last);
    }
    return ExitCode.OK.code();
  }

  /** --count N: NAME-1 .. NAME-N in bulk requests; --wait waits for each in turn. */
  private int createMany(int count) {
    if (count < 1) {
      throw new ParameterException(spec.commandLine(), "--count: must be at least 1, not " + count);
    }
    ArrayNode all = Json.array();
    for (int from = 1; from <= count; from += MAX_PER_REQUEST) {
      ArrayNode batch = Json.array();
      for (int i = from; i < from + MAX_PER_REQUEST && i <= count; i++) {
        batch.add(request(name + "-" + i));
      }
      JsonNode created = session.api().post("/vms", batch);
      created.forEach(all::add);
      if (!session.json()) {
        session.out().println("vms " + name + "-" + from + " .. " + name + "-" + Math.min(count, from + MAX_PER_REQUEST - 1)
            + " created (" + all.size() + " of " + count + ")");
      }
    }
    if (wait.enabled()) {
      VmWaiter waiter = wait.waiter(session);
      for (int i = 0; i < all.size(); i++) {
        all.set(i, waiter.until(all.get(i).path("name").asText(), new WaitGoal.Running(), all.get(i)));
      }
    }
    if (session.json()) {
      session.printJson(all);
    }
    return ExitCode.OK.code();
  }

  /** The VmRequest, with only the fields the user gave besides name, cpus and memoryMib. */
  ObjectNode request() {
    return request(name);
  }

  private ObjectNode request(String vmName) {
    ObjectNode body = Json.object().put("name", vmName).put("cpus", cpus).put("memoryMib", memoryMib);
    if (!disks.isEmpty()) {
      ArrayNode arr = body.putArray("disks");
      disks.forEach(d -> arr.addObject().put("image", d.image()).put("sizeGib", d.sizeGib()));
    }
    if (!nics.isEmpty()) {
      ArrayNode arr = body.putArray("nics");
      nics.forEach(n -> arr.addObject().put("network", n));
    }
    putIfGiven(body, "requirements", requirements);
    putIfGiven(body, "policy", policy == null ? null : policy.name());
    putIfGiven(body, "rank", rank);
    putIfGiven(body, "affinityGroup", affinityGroup);
    putIfGiven(body, "antiAffinityGroup", antiAffinityGroup);
    putIfGiven(body, "ha", ha == null ? null : ha.name());
    putIfGiven(body, "userData", userData == null ? null : readUserData(userData));
    if (!labels.isEmpty()) {
      ObjectNode l = body.putObject("labels");
      labels.forEach(l::put);
    }
    if (hold) {
      body.put("hold", true);
    }
    if (!dependsOn.isEmpty()) {
      ArrayNode arr = body.putArray("dependsOn");
      dependsOn.forEach(arr::add);
    }
    if (!checks.isEmpty()) {
      ArrayNode arr = body.putArray("services");
      checks.forEach((service, what) -> service(arr.addObject(), service, what));
    }
    for (String option : List.of("--check-restart", "--check-after")) {
      Map<String, String> given = option.equals("--check-restart") ? checkRestarts : checkAfter;
      for (String service : given.keySet()) {
        if (!checks.containsKey(service)) {
          throw new ParameterException(spec.commandLine(), option + ": '" + service + "' is not a service given with --check; "
              + "declare it first, e.g. --check " + service + "=tcp:80");
        }
      }
    }
    return body;
  }

  /** One --check NAME=KIND:WHAT as a ServiceCheck of the request; the server validates the rest. */
  private void service(ObjectNode s, String service, String what) {
    int colon = what.indexOf(':');
    String kind = colon < 0 ? "" : what.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
    String rest = colon < 0 ? "" : what.substring(colon + 1).strip();
    s.put("name", service).put("kind", kind.toUpperCase(java.util.Locale.ROOT));
    switch (kind) {
      case "script", "nagios" -> words(s.putArray("command"), rest);
      case "tcp", "http" -> {
        int slash = rest.indexOf('/');
        String port = slash < 0 ? rest : rest.substring(0, slash);
        try {
          s.put("port", Integer.parseInt(port));
        } catch (NumberFormatException e) {
          throw new ParameterException(spec.commandLine(), "--check " + service + ": '" + port + "' is not a port number; write e.g. "
              + service + "=" + kind + ":8080" + (kind.equals("http") ? "/health" : ""));
        }
        if (slash >= 0) {
          s.put("path", rest.substring(slash));
        }
      }
      default -> throw new ParameterException(spec.commandLine(), "--check " + service + ": '" + what + "' names no check kind; "
          + "write " + service + "=script:/path/to/script, nagios:/path/to/plugin ARGS, tcp:PORT or http:PORT/PATH");
    }
    String restart = checkRestarts.get(service);
    if (restart != null) {
      words(s.putArray("restart"), restart);
    }
    String after = checkAfter.get(service);
    if (after != null) {
      ArrayNode a = s.putArray("after");
      for (String other : after.split(",")) {
        if (!other.isBlank()) {
          a.add(other.strip());
        }
      }
    }
  }

  private static void words(ArrayNode argv, String line) {
    for (String w : line.strip().split("\\s+")) {
      if (!w.isEmpty()) {
        argv.add(w);
      }
    }
  }

  private String readUserData(Path userData) {
    try {
      return Files.readString(userData, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(),
          "--user-data: cannot read '" + userData + "' (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  private static void putIfGiven(ObjectNode body, String field, @Nullable String value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
