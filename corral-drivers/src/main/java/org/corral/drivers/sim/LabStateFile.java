package org.corral.drivers.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.model.InvalidInputException;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.corral.model.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The simulated lab as JSON, so that it survives the controller being killed. Only settled
 * states are written (see {@link SimDataCenter#saveTo}); times are stored relative to the saved
 * instant so that a lab can resume on another clock.
 */
final class LabStateFile {
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private LabStateFile() {}

  record LabState(int version, long revision, String name, long seed, String savedAt, WorkloadDto defaultWorkload,
      Map<String, WorkloadDto> workloads, Map<String, Integer> failMigrations, long migrationsBegun,
      List<String> faults, List<HostDto> hosts, @Nullable String leaseTime) {}

  record HostDto(String name, int cores, int mhzPerCore, long memoryMib, List<Double> watts, double offWatts,
      SimPower power, boolean crashed, boolean partitioned, boolean bmcReachable, double joules, double busyCoreNanos,
      List<DomainDto> domains, boolean storageCut, boolean daemonDown, @Nullable LeaseDto leases) {}

  /**
   * The leases of a host cut from its storage: expired, or how long ago it stopped renewing them
   * (so that they run out when they would have). Absent for a host that renews them.
   */
  record LeaseDto(boolean expired, long stoppedAgoNanos) {}

  /** @param workloadAgeNanos time since the domain's workload clock started, when running */
  record DomainDto(DomainSpec spec, DomainSpec live, boolean running, double cpuNanos, long workloadAgeNanos) {}

  /** One of the three workload kinds; the fields of the others are null. */
  record WorkloadDto(String kind, @Nullable Double utilisation, @Nullable List<LevelDto> steps,
      @Nullable List<Double> values, @Nullable String interval, @Nullable Boolean loop) {}

  record LevelDto(String from, double utilisation) {}

  /** The lab now, in settled states. Under the data centre's lock. */
  static LabState capture(SimDataCenter dc) {
    dc.accrueAll();
    long now = dc.nowNanos();
    List<HostDto> hosts = new ArrayList<>();
    for (SimHost h : dc.hosts.values()) {
      List<DomainDto> domains = new ArrayList<>();
      for (SimDomain d : h.domains.values()) {
        boolean running = d.phase.usesCpu(); // STARTING and CRASHED are saved as SHUTOFF, STOPPING as RUNNING
        domains.add(new DomainDto(d.spec, running ? d.live : d.spec, running, running ? d.cpuNanos : 0,
            running ? now - d.origin : 0));
      }
      SimPower power = switch (h.power) {
        case OFF, POWERING_ON -> SimPower.OFF;
        case ON, POWERING_OFF -> SimPower.ON;
      };
      HostCapacity c = h.capacity();
      hosts.add(new HostDto(h.name(), c.cores(), c.mhzPerCore(), c.memoryMib(), h.powerModel().watts(),
          h.powerModel().offWatts(), power, h.crashed, h.partitioned, h.bmcReachable, h.joules, h.busyCoreNanos, domains,
          h.storageCut, h.daemonDown && power == SimPower.ON,
          h.storageCut && !h.renewing ? new LeaseDto(h.leasesExpired, h.leasesExpired ? 0 : now - h.renewStoppedAt) : null));
    }
    Map<String, WorkloadDto> workloads = new TreeMap<>();
    dc.workloads.forEach((k, v) -> workloads.put(k, toDto(v)));
    return new LabState(VERSION, ++dc.revision, dc.name(), dc.seed(), SimDataCenter.toInstant(now).toString(),
        toDto(dc.defaultWorkload), workloads, new TreeMap<>(dc.failMigrations), dc.migrationsBegun,
        List.copyOf(dc.faults), hosts, dc.leaseTime.toString());
  }

  static LabState read(Path file) throws IOException {
    LabState s = JSON.readValue(file.toFile(), LabState.class);
    if (s.version() != VERSION) {
      throw new InvalidInputException("stateFile.version", "is " + s.version() + ", this build reads " + VERSION,
          "start the lab afresh or use the build that wrote " + file);
    }
    return s;
  }

  static SimDataCenter restore(LabState s, Clock clock, SimLatencies latencies) {
    SimDataCenter dc = new SimDataCenter(s.name(), clock, s.seed(), latencies);
    long now = dc.nowNanos();
    long saved = SimDataCenter.toNanos(Instant.parse(s.savedAt()));
    // Ahead of the file: the lab ran on meanwhile. Behind it (a fresh virtual clock): shift the lab to now.
    long resume = Math.min(now, saved);
    dc.mutate(() -> {
      dc.defaultWorkload = fromDto(s.defaultWorkload());
      s.workloads().forEach((k, v) -> dc.workloads.put(k, fromDto(v)));
      dc.failMigrations.putAll(s.failMigrations());
      dc.migrationsBegun = s.migrationsBegun();
      dc.revision = s.revision();
      dc.faults.addAll(s.faults());
      if (s.leaseTime() != null) {
        dc.leaseTime = Duration.parse(s.leaseTime());
      }
      return null;
    });
    for (HostDto hd : s.hosts()) {
      SimHost h = dc.addHost(hd.name(), new HostCapacity(hd.cores(), hd.mhzPerCore(), hd.memoryMib()),
          new PowerModel(hd.watts(), hd.offWatts()), hd.power() == SimPower.ON);
      long start = resume;
      dc.mutate(() -> {
        h.accountedUntil = start;
        h.crashed = hd.crashed();
        h.partitioned = hd.partitioned();
        h.bmcReachable = hd.bmcReachable();
        h.storageCut = hd.storageCut();
        h.daemonDown = hd.daemonDown() && h.power == SimPower.ON;
        h.joules = hd.joules();
        h.busyCoreNanos = hd.busyCoreNanos();
        for (DomainDto dd : hd.domains()) {
          SimDomain d = new SimDomain(dd.spec());
          if (dd.running()) {
            d.live = dd.live();
            d.phase = DomainPhase.RUNNING;
            d.cpuNanos = dd.cpuNanos();
            d.origin = start - dd.workloadAgeNanos();
          }
          h.domains.put(d.name(), d);
        }
        LeaseDto leases = hd.leases();
        if (h.storageCut && h.power == SimPower.ON) { // cut while on: it renews nothing, its leases run out (killing what runs) or have
          h.renewing = false;
          h.leasesExpired = leases == null || leases.expired();
          if (!h.leasesExpired) {
            dc.expireLater(h, start - Objects.requireNonNull(leases).stoppedAgoNanos());
          }
        }
        return null;
      });
    }
    return dc;
  }

  private static WorkloadDto toDto(WorkloadModel m) {
    return switch (m) {
      case WorkloadModel.Constant c -> new WorkloadDto("constant", c.utilisation(), null, null, null, null);
      case WorkloadModel.Step s -> new WorkloadDto("step", null,
          s.steps().stream().map(l -> new LevelDto(l.from().toString(), l.utilisation())).toList(), null, null, null);
      case WorkloadModel.Trace t -> new WorkloadDto("trace", null, null, t.values(), t.interval().toString(), t.loop());
    };
  }

  private static WorkloadModel fromDto(WorkloadDto w) {
    return switch (w.kind()) {
      case "constant" -> new WorkloadModel.Constant(present(w.utilisation(), "utilisation", w));
      case "step" -> new WorkloadModel.Step(present(w.steps(), "steps", w).stream()
          .map(l -> new WorkloadModel.Level(Duration.parse(l.from()), l.utilisation())).toList());
      case "trace" -> new WorkloadModel.Trace(present(w.values(), "values", w),
          Duration.parse(present(w.interval(), "interval", w)), Boolean.TRUE.equals(w.loop()));
      default -> throw new InvalidInputException("stateFile.workloads[].kind", "unknown kind '" + w.kind() + "'",
          "use constant, step or trace");
    };
  }

  /** A field {@code w}'s kind has; a file Corral wrote always has it. */
  private static <T> T present(@Nullable T value, String field, WorkloadDto w) {
    return Objects.requireNonNull(value, () -> "a " + w.kind() + " workload without " + field + " in the state file");
  }

  /** Writes snapshots atomically, never replacing a newer one with an older one. */
  static final class Writer {
    private long written = -1;

    synchronized void write(Path file, LabState s) throws IOException {
      if (s.revision() <= written) {
        return;
      }
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), s);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      written = s.revision();
    }
  }
}
