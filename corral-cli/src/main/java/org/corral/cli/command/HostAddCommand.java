package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.corral.cli.api.Json;
import org.corral.cli.convert.LockManagerConverter;
import org.corral.cli.convert.NonNegativeDouble;
import org.corral.cli.convert.NonNegativeInt;
import org.corral.cli.convert.NonNegativeLong;
import org.corral.cli.render.Nodes;
import org.corral.model.host.LockManager;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code corral host add}: builds a HostRequest (docs/api.md). */
@Command(name = "add", description = "Add a host. Without --cores/--mhz/--memory its capacity is asked from the hypervisor.")
public final class HostAddCommand implements Callable<Integer> {
  private final Session session;

  // picocli always sets it: the parameter is required.
  @SuppressWarnings("NullAway.Init")
  @Parameters(paramLabel = "NAME", description = "The host's name (a DNS label, e.g. node1).")
  String name;

  // picocli always sets it: the option is required.
  @SuppressWarnings("NullAway.Init")
  @Option(names = "--uri", required = true, paramLabel = "URI", description = "libvirt URI, e.g. qemu+ssh://root@node1/system.")
  String uri;

  @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "Capacity (all three, or none):%n")
  @Nullable Capacity capacity;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label on the host, e.g. zone=a. Repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--power", paramLabel = "URI", description = "How to power it on, e.g. ipmi://admin@10.0.0.11 or wol://.")
  @Nullable String powerOn;

  @Option(names = "--power-off", paramLabel = "URI", description = "How to power it off, when not the same as --power.")
  @Nullable String powerOff;

  @Option(names = "--mac", paramLabel = "MAC", description = "MAC address for Wake-on-LAN.")
  @Nullable String mac;

  @Option(names = "--power-soft", paramLabel = "URI", description = {"Soft fencing: how to restart its hypervisor daemon "
      + "before it is fenced, e.g. ssh://root@node1?identity=/etc/corral/ssh/id_ecdsa (power.soft in corral.yaml)."})
  @Nullable String powerSoft;

  @Option(names = "--lock-manager", paramLabel = "KIND", converter = LockManagerConverter.class,
      description = "Its libvirt lock manager (storage leases): sanlock, lockd or none (the default).")
  LockManager.@Nullable Kind lockManager;

  @Option(names = "--lease-dir", paramLabel = "DIR", description = "With --lock-manager sanlock: the lease directory on "
      + "the shared storage, the same path on every host, e.g. /var/lib/libvirt/sanlock.")
  @Nullable String leaseDir;

  @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "Power model (both, or none):%n")
  @Nullable PowerModel powerModel;

  /** Capacity as the HostRequest's {@code capacity} object. */
  static final class Capacity {
    @Option(names = "--cores", required = true, paramLabel = "N", converter = NonNegativeInt.class, description = "Physical cores.")
    int cores;

    @Option(names = "--mhz", required = true, paramLabel = "N", converter = NonNegativeInt.class, description = "MHz of one core.")
    int mhz;

    @Option(names = "--memory", required = true, paramLabel = "MIB", converter = NonNegativeLong.class, description = "Memory in MiB.")
    long memoryMib;
  }

  /** Linear power model: watts from idle to full CPU. */
  static final class PowerModel {
    @Option(names = "--idle-watts", required = true, paramLabel = "W", converter = NonNegativeDouble.class, description = "Watts when idle.")
    double idle;

    @Option(names = "--max-watts", required = true, paramLabel = "W", converter = NonNegativeDouble.class, description = "Watts at full CPU.")
    double max;
  }

  public HostAddCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    JsonNode host = session.api().post("/hosts", request());
    session.report(host, "host " + name + " added" + Nodes.nowIn(host));
    return ExitCode.OK.code();
  }

  ObjectNode request() {
    ObjectNode body = Json.object().put("name", name).put("uri", uri);
    if (capacity != null) {
      body.putObject("capacity").put("cores", capacity.cores).put("mhzPerCore", capacity.mhz).put("memoryMib", capacity.memoryMib);
    }
    if (!labels.isEmpty()) {
      ObjectNode l = body.putObject("labels");
      labels.forEach(l::put);
    }
    if (powerOn != null || powerOff != null || mac != null || powerSoft != null) {
      ObjectNode power = body.putObject("power").put("on", powerOn).put("off", powerOff).put("mac", mac);
      if (powerSoft != null) {
        power.put("soft", powerSoft);
      }
    }
    if (lockManager != null || leaseDir != null) { // the controller checks the pair: sanlock needs a lease directory, only it
      body.putObject("lockManager").put("kind", lockManager == null ? null : lockManager.name()).put("leaseDir", leaseDir);
    }
    if (powerModel != null) {
      body.putObject("powerModel").put("idleWatts", powerModel.idle).put("maxWatts", powerModel.max);
    }
    return body;
  }
}
