package org.corral.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.corral.cli.api.ApiException;
import org.corral.cli.api.BadResponseException;
import org.corral.cli.api.SettingException;
import org.corral.cli.api.UnreachableException;
import org.corral.cli.command.ExitCode;
import org.corral.cli.command.WaitGaveUpException;
import org.corral.model.ConflictException;
import org.corral.model.CorralException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a command threw into "error: ..." on stderr and an exit status (see
 * {@link ExitCode}). Users never see a stack trace for errors they can act on; for the
 * unexpected ones, CORRAL_DEBUG=1 shows it.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  private final boolean debug;

  ErrorHandler(boolean debug) {
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    ExitCode code = switch (ex) {
      case ApiException api -> {
        err.println("error: " + api.problem().detail());
        if (api.problem().field() != null) {
          err.println("  field: " + api.problem().field());
        }
        yield ExitCode.forHttpStatus(api.status());
      }
      case UnreachableException u -> {
        err.println("error: " + u.getMessage());
        yield ExitCode.UNREACHABLE;
      }
      case WaitGaveUpException w -> {
        err.println("error: " + w.getMessage());
        yield ExitCode.WAIT_GAVE_UP;
      }
      case SettingException s -> {
        err.println("error: " + s.getMessage());
        yield ExitCode.USAGE;
      }
      case BadResponseException b -> {
        err.println("error: " + b.getMessage());
        yield ExitCode.UNEXPECTED;
      }
      case CorralException c -> {
        // Thrown in this JVM by `corral up` (e.g. a bad corral.yaml).
        err.println("error: " + c.getMessage());
        yield local(c, err);
      }
      default -> {
        err.println("error: unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
            + (debug ? "" : " (set CORRAL_DEBUG=1 to see where)"));
        if (debug) {
          StringWriter trace = new StringWriter();
          ex.printStackTrace(new PrintWriter(trace));
          err.print(trace);
        }
        yield ExitCode.UNEXPECTED;
      }
    };
    err.flush();
    return code.code();
  }

  private static ExitCode local(CorralException c, PrintWriter err) {
    return switch (c) {
      case InvalidInputException i -> {
        err.println("  field: " + i.field());
        yield ExitCode.INVALID;
      }
      case NotFoundException n -> ExitCode.NOT_FOUND;
      case ConflictException k -> ExitCode.CONFLICT;
      case org.corral.model.AccessDeniedException d -> ExitCode.DENIED;
    };
  }
}
