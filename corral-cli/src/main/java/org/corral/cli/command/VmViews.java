package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.StringJoiner;
import org.corral.cli.render.Details;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.corral.cli.render.Units;
import org.jspecify.annotations.Nullable;

/** How VMs look in table mode. */
final class VmViews {
  private VmViews() {}

  static final java.util.List<String> COLUMNS = java.util.List.of("NAME", "STATE", "HOST", "CPUS", "MEMORY", "IP", "REASON");

  static String table(JsonNode vms) {
    Table t = Table.of(COLUMNS.toArray(String[]::new));
    for (JsonNode vm : vms) {
      t.row(cells(vm));
    }
    return t.render();
  }

  private static Object[] cells(JsonNode vm) {
    Long mib = Nodes.whole(vm, "spec", "memoryMib");
    return new Object[] {Nodes.text(vm, "name"), Nodes.text(vm, "state"), host(vm), Nodes.whole(vm, "spec", "cpus"),
        mib == null ? null : Units.mib(mib), firstIp(vm), Nodes.text(vm, "stateReason")};
  }

  /** Prints a listing page by page. */
  interface Pager {
    void page(JsonNode vms);

    void end();
  }

  /** One JSON array, written an element at a time: the same document as a one-page listing. */
  static Pager jsonPager(Session s) {
    return new Pager() {
      boolean first = true;

      @Override
      public void page(JsonNode vms) {
        for (JsonNode vm : vms) {
          s.print((first ? "[ " : ", ") + org.corral.cli.api.Json.pretty(vm).replace("\n", "\n  ") + "\n");
          first = false;
        }
      }

      @Override
      public void end() {
        s.print(first ? "[ ]\n" : "]\n");
      }
    };
  }

  /** Rows in columns as wide as {@code firstPage} needs (FixedColumns), the header first. */
  static Pager tablePager(Session s, JsonNode firstPage) {
    int[] widths = COLUMNS.stream().mapToInt(String::length).toArray();
    for (JsonNode vm : firstPage) {
      Object[] c = cells(vm);
      for (int i = 0; i < c.length; i++) {
        widths[i] = Math.max(widths[i], org.corral.cli.render.Table.width(c[i]));
      }
    }
    org.corral.cli.render.FixedColumns columns = new org.corral.cli.render.FixedColumns(COLUMNS, widths);
    s.print(columns.header());
    return new Pager() {
      @Override
      public void page(JsonNode vms) {
        StringBuilder b = new StringBuilder();
        for (JsonNode vm : vms) {
          b.append(columns.row(cells(vm)));
        }
        s.print(b.toString());
      }

      @Override
      public void end() {}
    };
  }

  static String details(JsonNode vm, Session s) {
    Long mib = Nodes.whole(vm, "spec", "memoryMib");
    Details d = new Details()
        .add("Name", Nodes.text(vm, "name"))
        .add("UUID", Nodes.text(vm, "uuid"))
        .add("State", Nodes.text(vm, "state") + sinceText(vm, s))
        .add("Desired", Nodes.text(vm, "desired"))
        .add("Reason", Nodes.text(vm, "stateReason"))
        .add("Host", host(vm))
        .add("CPUs", Nodes.whole(vm, "spec", "cpus"))
        .add("Memory", mib == null ? null : Units.mib(mib))
        .add("Disks", disks(vm))
        .add("NICs", leases(vm))
        .add("Policy", Nodes.text(vm, "spec", "policy"))
        .add("Rank", Nodes.text(vm, "spec", "rank"))
        .add("Requires", Nodes.text(vm, "spec", "requirements"))
        .add("Affinity", Nodes.text(vm, "spec", "affinityGroup"))
        .add("Anti-affinity", Nodes.text(vm, "spec", "antiAffinityGroup"))
        .add("HA", lower(Nodes.text(vm, "spec", "ha")))
        .add("Labels", Nodes.labels(vm, "spec", "labels"))
        .add("Owner", Nodes.text(vm, "owner"))
        .add("Created", s.time(Nodes.text(vm, "created")));
    String deps = names(Nodes.at(vm, "spec", "dependsOn"));
    if (deps != null) {
      d.add("Depends on", deps);
    }
    JsonNode services = Nodes.at(vm, "services");
    if (services != null) {
      for (JsonNode svc : services) {
        d.add("Service " + Nodes.text(svc, "name"), service(svc, s));
      }
    }
    return d.render();
  }

  private static @Nullable String names(@Nullable JsonNode list) {
    if (list == null || list.isEmpty()) {
      return null;
    }
    StringJoiner j = new StringJoiner(", ");
    list.forEach(n -> j.add(n.asText()));
    return j.toString();
  }

  /**
   * One service's state: "failing: 4 failed checks in a row, 1 restart; exit 2: nginx: connection
   * refused", "paused until 10:42:00 (flapping: ...)", "healthy", "gave up: ...".
   */
  static String service(JsonNode svc, Session s) {
    String state = lower(Nodes.text(svc, "state"));
    String st = state == null ? "?" : state.replace('_', ' ');
    Long failures = Nodes.whole(svc, "failures");
    Long restarts = Nodes.whole(svc, "restarts");
    StringJoiner counts = new StringJoiner(", ");
    if (failures != null && failures > 0) {
      counts.add(failures + " failed check" + (failures == 1 ? "" : "s") + " in a row");
    }
    if (restarts != null && restarts > 0) {
      counts.add(restarts + " restart" + (restarts == 1 ? "" : "s"));
    }
    String until = s.time(Nodes.text(svc, "pausedUntil"));
    String head = st + (until != null ? " until " + until : "") + (counts.length() > 0 ? ": " + counts : "");
    String reason = Nodes.text(svc, "reason");
    return "unchecked".equals(st) || reason == null || reason.isEmpty() ? head : head + "; " + reason;
  }

  /** "node1", or "node1 -> node2" while migrating. */
  static @Nullable String host(JsonNode vm) {
    String host = Nodes.text(vm, "host");
    String target = Nodes.text(vm, "migrationTarget");
    if (target == null) {
      return host;
    }
    return (host == null ? "-" : host) + " -> " + target;
  }

  private static String sinceText(JsonNode vm, Session s) {
    String since = s.time(Nodes.text(vm, "stateSince"));
    return since == null ? "" : " since " + since;
  }

  private static @Nullable String firstIp(JsonNode vm) {
    JsonNode leases = Nodes.at(vm, "leases");
    if (leases == null || leases.isEmpty()) {
      return null;
    }
    return Nodes.text(leases.get(0), "ip");
  }

  private static @Nullable String disks(JsonNode vm) {
    JsonNode disks = Nodes.at(vm, "spec", "disks");
    if (disks == null || disks.isEmpty()) {
      return null;
    }
    StringJoiner j = new StringJoiner(", ");
    for (JsonNode d : disks) {
      Long size = Nodes.whole(d, "sizeGib");
      j.add(Nodes.text(d, "image") + (size == null || size == 0 ? "" : " (" + Units.gib(size) + ")"));
    }
    return j.toString();
  }

  private static @Nullable String leases(JsonNode vm) {
    JsonNode leases = Nodes.at(vm, "leases");
    if (leases == null || leases.isEmpty()) {
      JsonNode nics = Nodes.at(vm, "spec", "nics");
      if (nics == null || nics.isEmpty()) {
        return null;
      }
      StringJoiner j = new StringJoiner(", ");
      nics.forEach(n -> j.add(Nodes.text(n, "network") + " (no lease yet)"));
      return j.toString();
    }
    StringJoiner j = new StringJoiner(", ");
    for (JsonNode l : leases) {
      j.add(Nodes.text(l, "network") + " " + Nodes.text(l, "ip") + " " + Nodes.text(l, "mac"));
    }
    return j.toString();
  }

  private static @Nullable String lower(@Nullable String s) {
    return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
  }
}
