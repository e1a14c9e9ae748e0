package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import org.corral.cli.render.Nodes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code corral host ...}: every host verb but {@code add} ({@link HostAddCommand}). */
@Command(name = "host", description = "Physical hosts: list, show, add, remove, maintenance, power, confirm-off, check.")
public final class HostCommand {
  private final Session session;

  public HostCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "List hosts: state, reserved vCPUs/cores and memory, VMs, CPU use, watts.")
  int list() {
    JsonNode hosts = session.api().get("/hosts");
    session.show(hosts, () -> HostViews.table(hosts));
    return ExitCode.OK.code();
  }

  @Command(name = "show", description = "Show one host in detail.")
  int show(@Parameters(paramLabel = "NAME", description = "The host.") String name) {
    JsonNode host = session.api().get(CorralApi.path("hosts", name));
    session.show(host, () -> HostViews.details(host, session));
    return ExitCode.OK.code();
  }

  @Command(name = "remove", description = "Forget a host. Refused (exit 4) while it still has VMs.")
  int remove(@Parameters(paramLabel = "NAME", description = "The host.") String name) {
    JsonNode answer = session.api().delete(CorralApi.path("hosts", name));
    session.report(answer, "host " + name + " removed");
    return ExitCode.OK.code();
  }

  @Command(name = "maintenance", description = "Put a host in maintenance (no new VMs; the Guardian live-migrates its running VMs away) or take it out.")
  int maintenance(
      @Parameters(paramLabel = "NAME", description = "The host.") String name,
      @ArgGroup(exclusive = true, multiplicity = "1") Toggle toggle) {
    JsonNode host = session.api().post(CorralApi.path("hosts", name, "maintenance"),
        Json.object().put("enabled", toggle.enabled()));
    session.report(host, "host " + name + ": maintenance " + (toggle.enabled() ? "on" : "off")
        + Nodes.nowIn(host));
    return ExitCode.OK.code();
  }

  @Command(name = "activate", description = "Take a host out of maintenance: it takes new VMs again (same as maintenance --off).")
  int activate(@Parameters(paramLabel = "NAME", description = "The host.") String name) {
    JsonNode host = session.api().post(CorralApi.path("hosts", name, "maintenance"), Json.object().put("enabled", false));
    session.report(host, "host " + name + ": maintenance off" + Nodes.nowIn(host));
    return ExitCode.OK.code();
  }

  @Command(name = "power-on", description = "Power a host on through its power driver (IPMI, Wake-on-LAN, ...).")
  int powerOn(@Parameters(paramLabel = "NAME", description = "The host.") String name) {
    JsonNode host = session.api().post(CorralApi.path("hosts", name, "power-on"), null);
    session.report(host, "host " + name + ": power-on accepted" + Nodes.nowIn(host));
    return ExitCode.OK.code();
  }

  @Command(name = "confirm-off", description = "Say that a DOWN host is powered off (you checked): its VMs restart elsewhere "
      + "although its power controller cannot confirm it. Journaled with your name.")
  int confirmOff(@Parameters(paramLabel = "NAME", description = "The host.") String name) {
    JsonNode host = session.api().post(CorralApi.path("hosts", name, "confirm-off"), null);
    session.report(host, "host " + name + ": confirmed off; its VMs restart elsewhere" + Nodes.nowIn(host));
    return ExitCode.OK.code();
  }

  @Command(name = "power-off", description = "Power a host off (it must have no VMs).")
  int powerOff(@Parameters(paramLabel = "NAME", description = "The host.") String name) {
    JsonNode host = session.api().post(CorralApi.path("hosts", name, "power-off"), null);
    session.report(host, "host " + name + ": power-off accepted" + Nodes.nowIn(host));
    return ExitCode.OK.code();
  }

  @Command(name = "check", description = "Run every probe and the power status on a host; exit 0 only if all pass, else 1.")
  int check(@Parameters(paramLabel = "NAME", description = "The host.") String name) {
    JsonNode check = session.api().post(CorralApi.path("hosts", name, "check"), null);
    boolean ok = HostViews.allOk(check);
    if (session.json()) {
      session.printJson(check);
    } else {
      session.print(HostViews.checks(check));
      session.out().println("host " + name + ": " + (ok ? "all checks passed" : "some checks FAILED"));
    }
    return ok ? ExitCode.OK.code() : ExitCode.UNEXPECTED.code();
  }
}
