package org.corral.cli.command;

import java.io.Console;
import org.corral.cli.api.SettingException;

/** Where the CLI reads a password: CORRAL_PASSWORD (scripts), else the terminal, without echo. */
final class Passwords {
  private Passwords() {}

  static String read(Session session, String prompt) {
    String fromEnv = session.env("CORRAL_PASSWORD");
    if (fromEnv != null) {
      return fromEnv;
    }
    Console console = System.console();
    if (console == null) {
      throw new SettingException("no terminal to ask for the password on; set CORRAL_PASSWORD");
    }
    char[] typed = console.readPassword("%s", prompt);
    if (typed == null || typed.length == 0) {
      throw new SettingException("no password given");
    }
    return new String(typed);
  }
}
