package org.corral.drivers.power.ipmi;

import java.nio.file.Path;

/** Where ipmitool reads the BMC password from. The password itself is never held in a target. */
sealed interface PasswordSource {
  /** A file whose first line is the password; passed as {@code -f <file>}. */
  record File(Path path) implements PasswordSource {}

  /**
   * An environment variable of the Corral process; its value is copied into the child's
   * {@code IPMI_PASSWORD} and ipmitool is run with {@code -E}.
   */
  record Env(String variable) implements PasswordSource {}
}
