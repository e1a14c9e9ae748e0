package org.corral.cli;

import java.util.concurrent.Callable;
import org.corral.cli.command.Globals;
import org.corral.cli.render.Output;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root {@code corral} command. Its options, --help, --version and the exit-status footer are
 * inherited by every subcommand, so {@code corral vm list -o json} and
 * {@code corral -o json vm list} mean the same.
 */
@Command(
    name = "corral",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Corral manages VMs on a cluster of KVM/Xen hosts: placement, HA and energy-saving consolidation.",
    footerHeading = "%nExit status:%n",
    footer = {
        "  0  ok",
        "  1  unexpected error (also: a host check failed)",
        "  2  usage error",
        "  3  not found",
        "  4  conflict or illegal state transition",
        "  5  invalid input",
        "  6  cannot reach the API (is Corral running? ./corral up)",
        "  7  --wait gave up (timeout, or the VM FAILED)",
        "  8  denied: no valid token (corral login), a role that does not allow it, or too many failed logins",
        "%nEnvironment: CORRAL_API (default for --api), CORRAL_HOME (default for up --home; its admin.token",
        "is used for an API on this machine), CORRAL_TOKEN (a token to send), CORRAL_CREDENTIALS (where",
        "corral login keeps tokens; default ~/.config/corral/credentials.json), CORRAL_PASSWORD (for login)."})
final class CorralCommand implements Callable<Integer>, Globals {
  @Spec
  CommandSpec spec;

  @Option(names = "--api", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Corral's address (default: $CORRAL_API, else http://localhost:7070).")
  @Nullable String api;

  // picocli always sets it: the option has a defaultValue.
  @SuppressWarnings("NullAway.Init")
  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (for people, the default) or json (the API's JSON, for scripts and jq).")
  Output output;

  @Override
  public @Nullable String api() {
    return api;
  }

  @Override
  public Output output() {
    return output;
  }

  /** {@code corral} alone: say what to type instead. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "no command given; try 'corral status' or 'corral --help'");
  }
}
