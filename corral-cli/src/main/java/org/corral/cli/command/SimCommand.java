package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import org.corral.cli.convert.NonNegativeInt;
import org.corral.cli.convert.StepsConverter;
import org.corral.cli.convert.Utilisation;
import org.corral.cli.convert.WorkloadStep;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.corral.cli.render.Units;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code corral sim ...}: inject faults and workloads into a simulated ({@code sim://}) lab. */
@Command(name = "sim", description = "Drive the simulated lab: status, crashes, partitions, BMC, storage and libvirtd faults, workloads, failing migrations.")
public final class SimCommand {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  private final Session session;

  public SimCommand(Session session) {
    this.session = session;
  }

  /** {@code --reachable | --unreachable}, exactly one. */
  static final class Reachability {
    @Option(names = "--reachable", required = true, description = "The BMC answers again.")
    boolean reachable;

    @Option(names = "--unreachable", required = true, description = "The BMC stops answering.")
    boolean unreachable;
  }

  /** {@code --cut | --heal}, exactly one. */
  static final class StorageLink {
    @Option(names = "--cut", required = true, description = "Cut the host from the shared storage: its leases expire a lease time later.")
    boolean cut;

    @Option(names = "--heal", required = true, description = "Reconnect it: it renews its leases again.")
    boolean heal;
  }

  /** {@code --stop | --start}, exactly one. */
  static final class Daemon {
    @Option(names = "--stop", required = true, description = "libvirtd dies: the hypervisor stops answering, the guests run on.")
    boolean stop;

    @Option(names = "--start", required = true, description = "libvirtd is started again on the host (by hand or by systemd).")
    boolean start;
  }

  /** {@code --constant U | --steps LIST | --diurnal}, exactly one: the other two are null. */
  static final class Workload {
    @Option(names = "--constant", required = true, paramLabel = "U", converter = Utilisation.class,
        description = "Constant CPU utilisation, 0 to 1.")
    @Nullable Double constant;

    @Option(names = "--steps", required = true, paramLabel = "S:U,...", converter = StepsConverter.class,
        description = "Utilisation U from second S on, e.g. 0:0.2,300:0.8.")
    @Nullable List<WorkloadStep> steps;

    @Option(names = "--diurnal", required = true, arity = "0..1", paramLabel = "NIGHT:DAY", fallbackValue = "0.05:0.9",
        description = "A working day repeating every 24 h from now: NIGHT from 22:00 to 06:00, DAY from 09:00 to 17:00 "
            + "(default 0.05:0.9).")
    @Nullable String diurnal;
  }

  @Command(name = "status", description = "Show the simulated hosts: power, faults, watts and energy used.")
  int status() {
    JsonNode sim = session.api().get("/sim");
    if (session.json()) {
      session.printJson(sim);
      return ExitCode.OK.code();
    }
    Table t = Table.of("HOST", "POWER", "CRASHED", "PARTITIONED", "BMC", "STORAGE", "LIBVIRTD", "WATTS", "ENERGY");
    JsonNode hosts = Nodes.at(sim, "hosts");
    if (hosts != null) {
      for (JsonNode h : hosts) {
        Double watts = Nodes.decimal(h, "watts");
        Double joules = Nodes.decimal(h, "energyJoules");
        t.row(Nodes.text(h, "name"), Nodes.text(h, "power"), yesNo(h, "crashed"), yesNo(h, "partitioned"),
            Nodes.flag(h, "bmcReachable") ? "reachable" : "UNREACHABLE", storage(h),
            Nodes.flag(h, "libvirtdStopped") ? "STOPPED" : "-",
            watts == null ? null : Units.watts(watts), joules == null ? null : Units.energy(joules));
      }
    }
    Double total = Nodes.decimal(sim, "totalEnergyJoules");
    session.print("lab " + Nodes.text(sim, "name") + ", energy used: " + (total == null ? "-" : Units.energy(total)) + "\n"
        + t.render());
    return ExitCode.OK.code();
  }

  @Command(name = "crash", description = "Crash a simulated host: it stops answering and its VMs are lost.")
  int crash(@Parameters(paramLabel = "HOST", description = "The host.") String host) {
    JsonNode answer = session.api().post(CorralApi.path("sim", "hosts", host, "crash"), null);
    session.report(answer, "sim: host " + host + " crashed");
    return ExitCode.OK.code();
  }

  @Command(name = "partition", description = "Cut a simulated host off the network (--on) or reconnect it (--off).")
  int partition(
      @Parameters(paramLabel = "HOST", description = "The host.") String host,
      @ArgGroup(exclusive = true, multiplicity = "1") Toggle toggle) {
    return hostFault(host, "partition", "enabled", toggle.enabled(), "sim: host " + host + (toggle.enabled() ? " partitioned" : " reconnected"));
  }

  @Command(name = "bmc", description = "Make a simulated host's BMC reachable or unreachable.")
  int bmc(
      @Parameters(paramLabel = "HOST", description = "The host.") String host,
      @ArgGroup(exclusive = true, multiplicity = "1") Reachability reachability) {
    return hostFault(host, "bmc", "reachable", reachability.reachable,
        "sim: BMC of " + host + " is now " + (reachability.reachable ? "reachable" : "unreachable"));
  }

  @Command(name = "storage", description = {"Cut a simulated host from the shared storage (--cut) or reconnect it (--heal).",
      "Cut, it renews no storage lease: a lease time later its running VMs are killed and its leases are EXPIRED."})
  int storage(
      @Parameters(paramLabel = "HOST", description = "The host.") String host,
      @ArgGroup(exclusive = true, multiplicity = "1") StorageLink link) {
    return hostFault(host, "storage", "cut", link.cut, "sim: storage of " + host + (link.cut ? " cut" : " reconnected"));
  }

  @Command(name = "libvirtd", description = {"Stop a simulated host's libvirtd (--stop) or start it again on the host (--start).",
      "Stopped, the hypervisor does not answer while the guests run on, until soft fencing, a reboot or --start."})
  int libvirtd(
      @Parameters(paramLabel = "HOST", description = "The host.") String host,
      @ArgGroup(exclusive = true, multiplicity = "1") Daemon daemon) {
    return hostFault(host, "libvirtd", "running", daemon.start, "sim: libvirtd on " + host + (daemon.start ? " started again" : " stopped"));
  }

  /** POST /sim/hosts/{host}/{fault} with {@code {field: value}}, then says {@code done}. */
  private int hostFault(String host, String fault, String field, boolean value, String done) {
    session.report(session.api().post(CorralApi.path("sim", "hosts", host, fault), Json.object().put(field, value)), done);
    return ExitCode.OK.code();
  }

  @Command(name = "workload", description = {"Set simulated VMs' CPU utilisation: constant, in steps, or a working day.",
      "e.g. corral sim workload web1 --constant 0.5; corral sim workload --all --diurnal"})
  int workload(
      @Parameters(paramLabel = "VM", arity = "0..1", description = "The VM (or --all).") @Nullable String vm,
      @Option(names = "--all", description = "Every VM.") boolean all,
      @ArgGroup(exclusive = true, multiplicity = "1") Workload workload) {
    if ((vm == null) == !all) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give either a VM or --all, e.g. corral sim workload --all --diurnal");
    }
    ObjectNode body = Json.object();
    if (workload.constant != null) {
      body.put("constant", workload.constant);
    } else if (workload.diurnal != null) {
      String[] nd = workload.diurnal.split(":");
      if (nd.length != 2) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--diurnal: '" + workload.diurnal + "' is not NIGHT:DAY; give e.g. 0.05:0.9");
      }
      try {
        body.putObject("diurnal").put("night", Double.parseDouble(nd[0])).put("day", Double.parseDouble(nd[1]));
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--diurnal: '" + workload.diurnal + "' is not NIGHT:DAY with numbers from 0 to 1; give e.g. 0.05:0.9");
      }
    } else {
      ArrayNode steps = body.putArray("steps");
      Objects.requireNonNull(workload.steps, "picocli sets exactly one workload option").forEach(s -> steps.addObject().put("atSeconds", s.atSeconds()).put("utilisation", s.utilisation()));
    }
    JsonNode answer = vm == null ? session.api().post(CorralApi.path("sim", "workload"), body)
        : session.api().post(CorralApi.path("sim", "vms", vm, "workload"), body);
    session.report(answer, all ? "sim: workload of " + answer.path("vms").asInt() + " VMs set" : "sim: workload of " + vm + " set");
    return ExitCode.OK.code();
  }

  @Command(name = "hang", description = {"Make a simulated VM's guest hang: the domain runs, its guest agent is silent "
      + "(guest-agent heartbeats, guardian.heartbeat, then restart it); --off makes it answer again."})
  int hang(
      @Parameters(paramLabel = "VM", description = "The VM.") String vm,
      @Option(names = "--off", description = "The guest answers again.") boolean off) {
    JsonNode answer = session.api().post(CorralApi.path("sim", "vms", vm, "hang"), Json.object().put("hung", !off));
    session.report(answer, "sim: the guest of " + vm + (off ? " answers again" : " hangs (its guest agent is silent)"));
    return ExitCode.OK.code();
  }

  @Command(name = "fail-migrations", description = "Make the next N migrations of a simulated VM fail.")
  int failMigrations(
      @Parameters(paramLabel = "VM", description = "The VM.") String vm,
      @Option(names = "--count", required = true, paramLabel = "N", converter = NonNegativeInt.class,
          description = "How many migrations fail.") int count) {
    JsonNode answer = session.api().post(CorralApi.path("sim", "vms", vm, "fail-migrations"), Json.object().put("count", count));
    session.report(answer, "sim: the next " + count + " migration(s) of " + vm + " will fail");
    return ExitCode.OK.code();
  }

  /** "CUT (leases HELD)", "CUT (leases EXPIRED)" or "ok": a controller without these fields shows "ok". */
  private static String storage(JsonNode h) {
    return Nodes.flag(h, "storageCut") ? "CUT (leases " + Objects.requireNonNullElse(Nodes.text(h, "leases"), "?") + ")" : "ok";
  }

  private static String yesNo(JsonNode h, String field) {
    return Nodes.flag(h, field) ? "YES" : "no";
  }
}
