package org.corral.controller.store;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.image.Image;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.network.Network;
import org.corral.model.plan.Action;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;

/** Model records for store tests: every field populated, or every optional field null. */
final class Samples {
  /** Nanoseconds on purpose: the store must keep instants exact. */
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456789Z");
  static final Cause CAUSE = Cause.of(Origin.SCHEDULER, 42, "placed on node-1: most packed host that fits");

  private Samples() {}

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  static Host fullHost(String name) {
    return new Host(name, "qemu+ssh://root@" + name + "/system", new HostCapacity(16, 2600, 65536),
        Map.of("rack", "r1", "ssd", "true"),
        new PowerSpec("ipmi://admin@10.0.0.11?interface=lanplus&passwordFile=/etc/corral/bmc.pass", "ssh://root@" + name,
            "52:54:00:aa:bb:cc", "ssh://root@" + name + "?command=systemctl&command=restart&command=virtqemud"),
        new PowerModel(List.of(93.7, 97.0, 101.0, 105.0, 110.0, 116.0, 121.0, 125.0, 129.0, 133.0, 135.0), 5.5),
        HostState.UP, "hypervisor answers", at(1), 7,
        new org.corral.model.host.LockManager(org.corral.model.host.LockManager.Kind.SANLOCK, "/var/lib/libvirt/sanlock"));
  }

  static Host bareHost(String name) {
    return new Host(name, "test:///default", new HostCapacity(2, 1000, 2048), null, null, null, HostState.OFF, null, null, 1);
  }

  static VmSpec fullSpec() {
    return new VmSpec(4, 8192, List.of(new DiskSpec("debian-12", 20), new DiskSpec("scratch", 0)),
        List.of(new NicSpec("lan"), new NicSpec("dmz")), "host.labels.ssd == 'true'", PlacementPolicy.CUSTOM,
        "host.free.memoryMib", "web", "db", org.corral.model.vm.HaLevel.HIGH, "#cloud-config\npackages: [nginx]\n", Map.of("tier", "web", "team", "a"));
  }

  static Vm fullVm(String name) {
    return new Vm(name, "6f1c1a52-7a4e-4d3f-9c8e-0123456789ab", fullSpec(), "alice", VmState.MIGRATING, DesiredState.RUNNING,
        "node-1", "node-2",
        List.of(new NicLease("lan", "192.168.100.10", "52:54:00:01:00:00"), new NicLease("dmz", "10.0.0.5", "52:54:00:01:00:01")),
        "live migration for consolidation", at(2), at(3), 12);
  }

  static Vm bareVm(String name) {
    return Vm.pending(name, "00000000-0000-0000-0000-000000000001", VmSpec.of(1, 512), null, null, at(4));
  }

  static Network fullNetwork(String name) {
    return new Network(name, "br0", "192.168.100.0/24", "192.168.100.1", "192.168.100.10", "192.168.100.200", "52:54:00:01:00:00");
  }

  static Network bareNetwork(String name) {
    return new Network(name, "br1", "10.0.0.0/16", null, null, null, null);
  }

  static Image image(String name) {
    return new Image(name, "default", name + ".qcow2", "qcow2", 20, true);
  }

  static JournalEntry entry(String subject, String message) {
    return new JournalEntry(0, at(5), EntryKind.STATE_CHANGED, SubjectKind.VM, subject, "PENDING", "PROVISIONING",
        "deploy-" + subject, CAUSE, message);
  }

  /** An entry with every optional field null. */
  static JournalEntry bareEntry() {
    return new JournalEntry(0, at(6), EntryKind.CONTROLLER_STARTED, SubjectKind.CONTROLLER, null, null, null, null, null, null);
  }

  static ActionRecord record(Action action, ActionStatus status, Instant created) {
    return new ActionRecord(action, status, 2, created, created.plusMillis(1500), status == ActionStatus.FAILED ? "timed out" : null);
  }

  static Action.DeployVm deploy(String key) {
    return new Action.DeployVm(key, "web-1", "node-1", CAUSE);
  }

  /**
   * An instance of any kind of action, built through its canonical constructor so that a kind
   * added later needs no change here (unless it has a component of a new type).
   */
  static Action sampleOf(Class<?> kind, String key) {
    RecordComponent[] components = kind.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      args[i] = switch (c.getType().getName()) {
        case "java.lang.String" -> c.getName().equals("key") ? key : c.getName() + "-" + kind.getSimpleName().toLowerCase();
        case "boolean" -> true;
        case "int" -> 3;
        case "long" -> 3L;
        case "java.time.Duration" -> java.time.Duration.ofSeconds(3);
        case "org.corral.model.plan.Cause" -> CAUSE;
        case "java.util.List" -> java.util.List.of(c.getName() + "-1", c.getName() + "-2"); // lists of names (RestartService.services)
        default -> throw new AssertionError("Samples.sampleOf has no value for " + kind.getSimpleName() + "." + c.getName()
            + " of type " + c.getType() + "; add one");
      };
    }
    try {
      return (Action) kind.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build a sample " + kind.getSimpleName(), e);
    }
  }
}
