package org.corral.cli;

import org.corral.cli.command.ActionsCommand;
import org.corral.cli.command.ClusterCommand;
import org.corral.cli.command.EnergyCommand;
import org.corral.cli.command.PlanApplyCommand;
import org.corral.cli.command.PlanCommand;
import org.corral.cli.command.EventsCommand;
import org.corral.cli.command.HostAddCommand;
import org.corral.cli.command.HostCommand;
import org.corral.cli.command.LoginCommand;
import org.corral.cli.command.QuotaCommand;
import org.corral.cli.command.KeysCommand;
import org.corral.cli.command.TokenCommand;
import org.corral.cli.command.UserCommand;
import org.corral.cli.command.ImageCommand;
import org.corral.cli.command.NetworkCommand;
import org.corral.cli.command.Session;
import org.corral.cli.command.SimCommand;
import org.corral.cli.command.SimulateCommand;
import org.corral.cli.command.StatusCommand;
import org.corral.cli.command.VmCommand;
import org.corral.cli.command.VmCreateCommand;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every command of {@code corral}, wired by hand in the order {@code corral --help} lists them. */
final class CommandTree {
  private CommandTree() {}

  /** A subcommand: its class (whose {@code @Command} names it) and how to make it (an object or a CommandLine). */
  private record Entry(Class<?> type, Supplier<Object> make) {
    String name() {
      return type.getAnnotation(Command.class).name();
    }
  }

  /** Every command, as {@code corral --help} lists them. */
  static CommandLine build(CorralCommand root, Session session, ServerLauncher launcher) {
    return build(root, session, launcher, new String[0]);
  }

  /**
   * The commands for {@code args}: when the first argument names a subcommand, only that one is
   * made (picocli reads every command's annotations when it is added: a short command such as
   * {@code corral simulate} need not pay for all of them); else every command.
   */
  static CommandLine build(CorralCommand root, Session session, ServerLauncher launcher, String[] args) {
    List<Entry> entries = List.of(
        new Entry(UpCommand.class, () -> new UpCommand(launcher, session)),
        new Entry(StatusCommand.class, () -> new StatusCommand(session)),
        new Entry(HostCommand.class, () -> new CommandLine(new HostCommand(session)).addSubcommand(new HostAddCommand(session))),
        new Entry(VmCommand.class, () -> new CommandLine(new VmCommand(session)).addSubcommand(new VmCreateCommand(session))),
        new Entry(NetworkCommand.class, () -> new NetworkCommand(session)),
        new Entry(ImageCommand.class, () -> new ImageCommand(session)),
        new Entry(EventsCommand.class, () -> new EventsCommand(session)),
        new Entry(ActionsCommand.class, () -> new ActionsCommand(session)),
        new Entry(PlanCommand.class, () -> new CommandLine(new PlanCommand(session)).addSubcommand(new PlanApplyCommand(session))),
        new Entry(ClusterCommand.class, () -> new ClusterCommand(session)),
        new Entry(EnergyCommand.class, () -> new EnergyCommand(session)),
        new Entry(SimCommand.class, () -> new SimCommand(session)),
        new Entry(LoginCommand.class, () -> new LoginCommand(session)),
        new Entry(UserCommand.class, () -> new UserCommand(session)),
        new Entry(TokenCommand.class, () -> new TokenCommand(session)),
        new Entry(KeysCommand.class, () -> new KeysCommand(session)),
        new Entry(QuotaCommand.class, () -> new QuotaCommand(session)),
        new Entry(SimulateCommand.class, () -> new SimulateCommand(session)));
    String first = args.length > 0 ? args[0] : "";
    boolean one = entries.stream().anyMatch(e -> e.name().equals(first));
    CommandLine cl = new CommandLine(root);
    for (Entry e : entries) {
      if (!one || e.name().equals(first)) {
        cl.addSubcommand(e.make().get());
      }
    }
    // Settings apply to the subcommands present when they are set, so they come last.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new ErrorHandler(session.env("CORRAL_DEBUG") != null));
    cl.setParameterExceptionHandler(new UsageErrorHandler());
    return cl;
  }
}
