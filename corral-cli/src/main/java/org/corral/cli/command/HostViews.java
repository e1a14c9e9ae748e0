package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import org.corral.cli.render.Details;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.corral.cli.render.Units;
import org.jspecify.annotations.Nullable;

/** How hosts and host checks look in table mode. */
final class HostViews {
  private HostViews() {}

  static String table(JsonNode hosts) {
    Table t = Table.of("NAME", "STATE", "CPUS", "MEMORY", "VMS", "CPU", "WATTS", "REASON");
    for (JsonNode h : hosts) {
      t.row(Nodes.text(h, "name"), Nodes.text(h, "state"), cpus(h), memory(h), Nodes.whole(h, "vms"),
          percent(h), watts(h), Nodes.text(h, "stateReason"));
    }
    return t.render();
  }

  static String details(JsonNode h, Session s) {
    String since = s.time(Nodes.text(h, "stateSince"));
    return new Details()
        .add("Name", Nodes.text(h, "name"))
        .add("URI", Nodes.text(h, "uri"))
        .add("State", Nodes.text(h, "state") + (since == null ? "" : " since " + since))
        .add("Reason", Nodes.text(h, "stateReason"))
        .add("Capacity", capacity(h))
        .add("Reserved", reserved(h))
        .add("VMs", Nodes.whole(h, "vms"))
        .add("CPU", percent(h))
        .add("Power draw", watts(h))
        .add("Power on", Nodes.text(h, "power", "on"))
        .add("Power off", Nodes.text(h, "power", "off"))
        .add("MAC", Nodes.text(h, "power", "mac"))
        .add("Soft fencing", Nodes.text(h, "power", "soft"))
        .add("Lock manager", lockManager(h))
        .add("Storage", storage(h))
        .add("Power model", powerModel(h))
        .add("Labels", Nodes.labels(h, "labels"))
        .render();
  }

  static String checks(JsonNode check) {
    Table t = Table.of("RESULT", "CHECK", "DETAIL");
    JsonNode checks = Nodes.at(check, "checks");
    if (checks != null) {
      for (JsonNode c : checks) {
        t.row(Nodes.flag(c, "ok") ? "ok" : "FAIL", Nodes.text(c, "name"), Nodes.text(c, "detail"));
      }
    }
    return t.render();
  }

  /** True when the check says ok and every single check does too. */
  static boolean allOk(JsonNode check) {
    if (!Nodes.flag(check, "ok")) {
      return false;
    }
    JsonNode checks = Nodes.at(check, "checks");
    if (checks == null) {
      return true;
    }
    for (JsonNode c : checks) {
      if (!Nodes.flag(c, "ok")) {
        return false;
      }
    }
    return true;
  }

  /** "4/16": vCPUs reserved over physical cores. */
  private static @Nullable String cpus(JsonNode h) {
    Double reserved = Nodes.decimal(h, "reserved", "cpus");
    Long cores = Nodes.whole(h, "capacity", "cores");
    if (cores == null) {
      return null;
    }
    return (reserved == null ? "-" : Units.number(reserved)) + "/" + cores;
  }

  private static @Nullable String memory(JsonNode h) {
    Long reserved = Nodes.whole(h, "reserved", "memoryMib");
    Long total = Nodes.whole(h, "capacity", "memoryMib");
    if (total == null) {
      return null;
    }
    return (reserved == null ? "-" : Units.mib(reserved)) + "/" + Units.mib(total);
  }

  private static @Nullable String capacity(JsonNode h) {
    Long cores = Nodes.whole(h, "capacity", "cores");
    Long mhz = Nodes.whole(h, "capacity", "mhzPerCore");
    Long mib = Nodes.whole(h, "capacity", "memoryMib");
    if (cores == null) {
      return null;
    }
    return cores + " cores" + (mhz == null ? "" : " x " + mhz + " MHz") + (mib == null ? "" : ", " + Units.mib(mib));
  }

  private static @Nullable String reserved(JsonNode h) {
    Double cpus = Nodes.decimal(h, "reserved", "cpus");
    Long mib = Nodes.whole(h, "reserved", "memoryMib");
    if (cpus == null && mib == null) {
      return null;
    }
    return (cpus == null ? "-" : Units.number(cpus)) + " vCPUs, " + (mib == null ? "-" : Units.mib(mib));
  }

  private static @Nullable String percent(JsonNode h) {
    Double u = Nodes.decimal(h, "cpuUtilisation");
    return u == null ? null : Units.percent(u);
  }

  private static @Nullable String watts(JsonNode h) {
    Double w = Nodes.decimal(h, "watts");
    return w == null ? null : Units.watts(w);
  }

  /** What the shared storage says of its leases; nothing when it cannot tell (UNKNOWN: no lock manager Corral can read). */
  private static @Nullable String storage(JsonNode h) {
    String leases = Nodes.text(h, "storageLeases");
    if (leases == null) {
      return null;
    }
    return switch (leases) {
      case "HELD" -> "leases held";
      case "EXPIRED" -> "leases EXPIRED: it lost the shared storage, no VM on shared storage is placed here";
      default -> null;
    };
  }

  /** "sanlock, leases in /var/lib/libvirt/sanlock", "lockd"; nothing for none (or a controller that does not say). */
  private static @Nullable String lockManager(JsonNode h) {
    String kind = Nodes.text(h, "lockManager", "kind");
    if (kind == null || kind.equals("NONE")) {
      return null;
    }
    String dir = Nodes.text(h, "lockManager", "leaseDir");
    return kind.toLowerCase(java.util.Locale.ROOT) + (dir == null ? "" : ", leases in " + dir);
  }

  private static @Nullable String powerModel(JsonNode h) {
    Double idle = Nodes.decimal(h, "powerModel", "idleWatts");
    Double max = Nodes.decimal(h, "powerModel", "maxWatts");
    if (idle == null || max == null) {
      return null;
    }
    return Units.watts(idle) + " idle, " + Units.watts(max) + " at full load";
  }
}
