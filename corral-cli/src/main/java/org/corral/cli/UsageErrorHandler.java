package org.corral.cli;

import java.io.PrintWriter;
import org.corral.cli.command.ExitCode;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** A bad command line: one "error:" line naming the option, suggestions, and where help is. Exit 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("error: " + tidy(ex.getMessage()));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("see '" + cl.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return ExitCode.USAGE.code();
  }

  /** picocli says "Error: ..." inside some messages and "option option" in one; we print "error:" once. */
  static String tidy(@Nullable String message) {
    String m = message == null ? "" : message;
    if (m.startsWith("Error: ")) {
      m = m.substring("Error: ".length());
    }
    return m.replace("option option", "option");
  }
}
