package org.corral.cli;

/** Canned API bodies shaped as docs/api.md describes them. */
final class Fixtures {
  private Fixtures() {}

  static String problem(String kind, int status, String detail, String field) {
    return """
        {"type": "https://corral.dev/problems/%s", "title": "%s", "status": %d, "detail": "%s"%s}
        """.formatted(kind, kind, status, detail, field == null ? "" : ", \"field\": \"" + field + "\"");
  }

  static final String NODE1 = """
      {"name": "node1", "uri": "qemu+ssh://root@node1/system", "state": "UP", "stateReason": null,
       "stateSince": "2026-01-01T00:00:00Z",
       "capacity": {"cores": 16, "mhzPerCore": 2600, "memoryMib": 65536}, "labels": {"zone": "a", "rack": "r1"},
       "power": {"on": "ipmi://admin@10.0.0.11", "off": null, "mac": "aa:bb:cc:dd:ee:ff", "soft": "ssh://root@node1"},
       "powerModel": {"idleWatts": 90, "maxWatts": 250},
       "reserved": {"cpus": 4.0, "memoryMib": 8192}, "vms": 2, "cpuUtilisation": 0.12, "watts": 104.5,
       "lockManager": {"kind": "SANLOCK", "leaseDir": "/var/lib/libvirt/sanlock"}, "storageLeases": "EXPIRED"}
      """;

  static final String NODE2_MAINTENANCE = """
      {"name": "node2", "uri": "qemu+ssh://root@node2/system", "state": "MAINTENANCE", "stateReason": "disk swap",
       "stateSince": "2026-01-01T01:30:00Z",
       "capacity": {"cores": 8, "mhzPerCore": 2000, "memoryMib": 32768}, "labels": {},
       "power": {"on": null, "off": null, "mac": null},
       "reserved": {"cpus": 0.0, "memoryMib": 0}, "vms": 0, "cpuUtilisation": 0.0, "watts": 61.0}
      """;

  static final String HOSTS = "[" + NODE1 + "," + NODE2_MAINTENANCE + "]";

  static final String CHECK_FAILED = """
      {"host": "node1", "ok": false, "checks": [
        {"name": "hypervisor", "ok": true, "detail": "QEMU 9.2, 16 cores"},
        {"name": "power", "ok": false, "detail": "BMC 10.0.0.11 did not answer within 5s"}]}
      """;

  static final String CHECK_OK = """
      {"host": "node1", "ok": true, "checks": [
        {"name": "hypervisor", "ok": true, "detail": "QEMU 9.2, 16 cores"},
        {"name": "power", "ok": true, "detail": "chassis power is on"}]}
      """;

  /** A VmView of web1 in {@code state} on {@code host} (null for none) with a reason (null for none). */
  static String vm(String state, String host, String reason) {
    return """
        {"name": "web1", "uuid": "7b0c6a2e-0d5e-4c57-9d1e-3f1f6f0e8a11", "state": "%s", "desired": "RUNNING",
         "host": %s, "migrationTarget": null, "stateReason": %s, "stateSince": "2026-01-01T00:05:00Z",
         "created": "2026-01-01T00:04:00Z", "owner": "alice",
         "spec": {"cpus": 2, "memoryMib": 2048, "disks": [{"image": "debian12", "sizeGib": 20}],
                  "nics": [{"network": "default"}], "requirements": null, "policy": "PACKING", "rank": null,
                  "affinityGroup": null, "antiAffinityGroup": "web", "ha": "MEDIUM", "userData": null,
                  "labels": {"tier": "front"}},
         "leases": %s}
        """.formatted(state, quoted(host), quoted(reason),
        host == null ? "[]" : "[{\"network\": \"default\", \"ip\": \"10.0.0.5\", \"mac\": \"52:54:00:01:00:05\"}]");
  }

  static String migrating(String from, String to) {
    return vm("MIGRATING", from, null).replace("\"migrationTarget\": null", "\"migrationTarget\": \"" + to + "\"");
  }

  /** {@code view} with the key of the action in flight, as the API shows it. */
  static String withAction(String view, String key) {
    return view.replace("\"owner\": \"alice\",", "\"owner\": \"alice\", \"action\": \"" + key + "\",");
  }

  /** An ActionView as GET /actions/{key} answers it. */
  static String action(String key, String status, String error) {
    return """
        {"key": "%s", "verb": "%s", "subject": "web1", "status": "%s", "attempts": 1, "created": "2026-01-01T00:05:00Z",
         "updated": "2026-01-01T00:05:01Z", "error": %s, "cause": {"origin": "USER", "reason": "by alice", "cycle": 0}}
        """.formatted(key, key.substring(0, key.indexOf('/')), status, quoted(error));
  }

  static final String DB1_PENDING = """
      {"name": "db1", "uuid": "0e0e", "state": "PENDING", "desired": "RUNNING", "host": null, "migrationTarget": null,
       "stateReason": "no host has 64.0 GiB free", "stateSince": "2026-01-01T00:06:00Z", "created": "2026-01-01T00:06:00Z",
       "owner": "bob", "spec": {"cpus": 8, "memoryMib": 65536}, "leases": []}
      """;

  static final String NETWORKS = """
      [{"name": "default", "bridge": "br0", "cidr": "10.0.0.0/24", "gateway": "10.0.0.1",
        "firstIp": "10.0.0.10", "lastIp": "10.0.0.250", "macStart": "52:54:00:01:00:00"}]
      """;

  static final String IMAGES = """
      [{"name": "debian12", "pool": "default", "volume": "debian-12.qcow2", "format": "qcow2", "sizeGib": 8, "shared": true},
       {"name": "alpine", "pool": "local", "volume": "alpine.raw", "format": "raw", "sizeGib": 1, "shared": false}]
      """;

  static final String EVENT_1 = """
      {"seq": 41, "at": "2026-01-01T00:05:00Z", "kind": "STATE_CHANGED", "subjectKind": "VM", "subject": "web1",
       "from": "PENDING", "to": "PROVISIONING", "actionKey": "place-web1-1",
       "cause": {"origin": "SCHEDULER", "reason": "placed", "cycle": 7}, "message": "placed on node1 (packing)"}
      """;

  static final String EVENT_2 = """
      {"seq": 42, "at": "2026-01-01T00:05:30Z", "kind": "ACTION_FAILED", "subjectKind": "HOST", "subject": "node2",
       "from": null, "to": null, "actionKey": "power-off-node2-3",
       "cause": {"origin": "OPTIMIZER", "reason": "consolidation", "cycle": 8}, "message": "BMC did not answer"}
      """;

  static final String ACTIONS = """
      [{"key": "migrate-web1-4", "verb": "MIGRATE", "subject": "web1", "status": "RUNNING", "attempts": 1,
        "created": "2026-01-01T00:07:00Z", "updated": "2026-01-01T00:07:01Z", "error": null,
        "cause": {"origin": "OPTIMIZER", "reason": "consolidation", "cycle": 9}}]
      """;

  static final String SIM = """
      {"name": "lab", "hosts": [
        {"name": "node1", "power": "ON", "crashed": false, "partitioned": false, "bmcReachable": true,
         "storageCut": true, "leases": "HELD", "libvirtdStopped": true, "watts": 104.5, "energyJoules": 376200},
        {"name": "node2", "power": "OFF", "crashed": true, "partitioned": true, "bmcReachable": false, "watts": 0, "energyJoules": 7200000}],
       "totalEnergyJoules": 7576200}
      """;

  static final String HEALTH = """
      {"status": "UP", "version": "0.1.0", "startedAt": "2026-01-01T00:00:00Z", "store": "h2:file:./var/corral", "hosts": 2,
       "hostsByState": {"MAINTENANCE": 1, "UP": 1}, "vms": 2, "vmsByState": {"PENDING": 1, "RUNNING": 1}}
      """;

  private static String quoted(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
