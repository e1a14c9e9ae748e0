package org.corral.drivers.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns an argument list into one command line for a POSIX shell. SSH has no argv: the server
 * hands the client's string to the user's login shell ({@code $SHELL -c "<string>"}), so every
 * argument must be quoted so that the shell gives it back unchanged, whatever it contains
 * ({@code ;}, {@code $(...)}, spaces, quotes, newlines).
 *
 * <p>Single quotes are the one POSIX quoting form with no special characters inside; a single
 * quote itself is written by closing the quote, adding an escaped quote and reopening:
 * {@code it's} → {@code 'it'\''s'}. Arguments made only of characters no shell treats specially
 * are left bare so that logs stay readable. Login shells that are not POSIX (csh, fish) are not
 * supported; the documentation says so.
 */
public final class PosixQuoting {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private PosixQuoting() {}

  /** One argument, quoted when needed. A NUL byte cannot be passed through a shell at all. */
  public static String quote(String arg) {
    if (arg.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("an argument cannot contain a NUL byte");
    }
    if (SAFE.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** The command line that makes a POSIX shell run {@code argv} as given. */
  public static String commandLine(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty argument list");
    }
    return argv.stream().map(PosixQuoting::quote).collect(Collectors.joining(" "));
  }
}
