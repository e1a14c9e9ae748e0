package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import org.corral.cli.render.Nodes;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code corral vm ...}: the VM verbs other than {@code create} ({@link VmCreateCommand}). */
@Command(name = "vm", description = "Virtual machines: create, list, show, start, stop, migrate, delete, hold, release.")
public final class VmCommand {
  private final Session session;

  public VmCommand(Session session) {
    this.session = session;
  }

  /** VMs fetched per request while listing: the first lines show at once, however many VMs there are. */
  static final int PAGE = 500;

  @Command(name = "list", description = "List VMs: name, state, host, size, first IP and why a VM waits. "
      + "Pages through the API and prints as it goes.")
  int list(
      @Option(names = "--host", paramLabel = "HOST", description = "Only VMs on this host.") @Nullable String host,
      @Option(names = "--state", paramLabel = "STATE", description = "Only VMs in this state: ${COMPLETION-CANDIDATES}.") @Nullable VmState state,
      @Option(names = "--owner", paramLabel = "USER", description = "Only VMs created by USER.") @Nullable String owner,
      @Option(names = "--label", paramLabel = "KEY[=VALUE]", description = "Only VMs with this label (and value).") @Nullable String label) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("host", host);
    query.put("state", state == null ? null : state.name());
    query.put("owner", owner);
    query.put("label", label);
    query.put("limit", Integer.toString(PAGE));
    CorralApi.Page page = session.api().page("/vms", query);
    if (page.next() == null) {
      JsonNode vms = page.items();
      session.show(vms, () -> VmViews.table(vms));
      return ExitCode.OK.code();
    }
    // More than a page: print each as it comes (JSON: one array, written element by element;
    // text: columns as wide as the first page needed, a longer cell pushes the rest right).
    VmViews.Pager out = session.json() ? VmViews.jsonPager(session) : VmViews.tablePager(session, page.items());
    while (true) {
      out.page(page.items());
      if (page.next() == null) {
        break;
      }
      query.put("after", page.next());
      page = session.api().page("/vms", query);
    }
    out.end();
    return ExitCode.OK.code();
  }

  @Command(name = "show", description = "Show one VM: state and reason, host, spec, leases.")
  int show(@Parameters(paramLabel = "NAME", description = "The VM.") String name) {
    JsonNode vm = session.api().get(CorralApi.path("vms", name));
    session.show(vm, () -> VmViews.details(vm, session));
    return ExitCode.OK.code();
  }

  @Command(name = "start", description = "Start a stopped VM (placing it again if it has no host).")
  int start(@Parameters(paramLabel = "NAME", description = "The VM.") String name, @Mixin WaitOptions wait) {
    JsonNode vm = session.api().post(CorralApi.path("vms", name, "start"), null);
    return settle(name, vm, "start", wait, new WaitGoal.Running());
  }

  @Command(name = "stop", description = "Shut a VM down (ACPI), or pull the plug with --force.")
  int stop(
      @Parameters(paramLabel = "NAME", description = "The VM.") String name,
      @Option(names = "--force", description = "Power off at once instead of asking the guest to shut down.") boolean force,
      @Mixin WaitOptions wait) {
    JsonNode vm = session.api().post(CorralApi.path("vms", name, "stop"), Json.object().put("force", force));
    return settle(name, vm, force ? "forced stop" : "stop", wait, new WaitGoal.Stopped());
  }

  @Command(name = "reboot", description = "Reboot a running VM in place (ACPI; reset if the guest does not reboot within"
      + " executor.shutdownTimeout).")
  int reboot(@Parameters(paramLabel = "NAME", description = "The VM.") String name) {
    JsonNode vm = session.api().post(CorralApi.path("vms", name, "reboot"), null);
    session.report(vm, "vm " + name + ": reboot accepted" + Nodes.nowIn(vm));
    return ExitCode.OK.code();
  }

  @Command(name = "migrate", description = "Live-migrate a running VM to another host.")
  int migrate(
      @Parameters(paramLabel = "NAME", description = "The VM.") String name,
      @Option(names = "--to", required = true, paramLabel = "HOST", description = "The destination host.") String to,
      @Mixin WaitOptions wait) {
    JsonNode vm = session.api().post(CorralApi.path("vms", name, "migrate"), Json.object().put("to", to));
    return settle(name, vm, "migration to " + to, wait, new WaitGoal.RunningOn(to));
  }

  @Command(name = "delete", description = "Delete a VM: stop it, remove its disks, free its leases.")
  int delete(@Parameters(paramLabel = "NAME", description = "The VM.") String name, @Mixin WaitOptions wait) {
    JsonNode vm = session.api().delete(CorralApi.path("vms", name));
    return settle(name, vm, "delete", wait, new WaitGoal.Deleted());
  }

  @Command(name = "hold", description = "Keep a PENDING VM from being placed until released.")
  int hold(@Parameters(paramLabel = "NAME", description = "The VM.") String name) {
    JsonNode vm = session.api().post(CorralApi.path("vms", name, "hold"), null);
    session.report(vm, "vm " + name + ": held" + Nodes.nowIn(vm));
    return ExitCode.OK.code();
  }

  @Command(name = "release", description = "Let a held VM be placed again.")
  int release(@Parameters(paramLabel = "NAME", description = "The VM.") String name) {
    JsonNode vm = session.api().post(CorralApi.path("vms", name, "release"), null);
    session.report(vm, "vm " + name + ": released" + Nodes.nowIn(vm));
    return ExitCode.OK.code();
  }

  /** Reports the accepted request; with --wait, follows the VM until {@code goal}. */
  private int settle(String name, JsonNode accepted, String what, WaitOptions wait, WaitGoal goal) {
    String sentence = "vm " + name + ": " + what + " accepted" + Nodes.nowIn(accepted);
    if (!wait.enabled()) {
      session.report(accepted, sentence);
      return ExitCode.OK.code();
    }
    if (!session.json()) {
      session.out().println(sentence);
    }
    JsonNode last = wait.waiter(session).until(name, goal, accepted);
    if (session.json()) {
      session.printJson(last);
    }
    return ExitCode.OK.code();
  }
}
