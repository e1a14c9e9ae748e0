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
import picocli.CommandLine;

/** Every command of {@code corral}, wired by hand in the order {@code corral --help} lists them. */
final class CommandTree {
  private CommandTree() {}

  static CommandLine build(CorralCommand root, Session session, ServerLauncher launcher) {
    CommandLine cl = new CommandLine(root);
    cl.addSubcommand(new UpCommand(launcher, session));
    cl.addSubcommand(new StatusCommand(session));
    cl.addSubcommand(new CommandLine(new HostCommand(session)).addSubcommand(new HostAddCommand(session)));
    cl.addSubcommand(new CommandLine(new VmCommand(session)).addSubcommand(new VmCreateCommand(session)));
    cl.addSubcommand(new NetworkCommand(session));
    cl.addSubcommand(new ImageCommand(session));
    cl.addSubcommand(new EventsCommand(session));
    cl.addSubcommand(new ActionsCommand(session));
    cl.addSubcommand(new CommandLine(new PlanCommand(session)).addSubcommand(new PlanApplyCommand(session)));
    cl.addSubcommand(new ClusterCommand(session));
    cl.addSubcommand(new EnergyCommand(session));
    cl.addSubcommand(new SimCommand(session));
    cl.addSubcommand(new LoginCommand(session));
    cl.addSubcommand(new UserCommand(session));
    cl.addSubcommand(new TokenCommand(session));
    cl.addSubcommand(new QuotaCommand(session));
    cl.addSubcommand(new SimulateCommand(session));
    // Settings apply to the subcommands present when they are set, so they come last.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new ErrorHandler(session.env("CORRAL_DEBUG") != null));
    cl.setParameterExceptionHandler(new UsageErrorHandler());
    return cl;
  }
}
