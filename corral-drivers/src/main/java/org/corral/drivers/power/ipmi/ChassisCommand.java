package org.corral.drivers.power.ipmi;

import java.util.List;

/** The {@code ipmitool chassis power <command>} verbs Corral uses. */
enum ChassisCommand {
  ON("on"),
  /** ACPI soft shutdown: the BMC asks the OS to shut down. */
  SOFT("soft"),
  /** Cut power at once (fencing). */
  OFF("off"),
  CYCLE("cycle"),
  STATUS("status");

  private final String verb;

  ChassisCommand(String verb) {
    this.verb = verb;
  }

  public String verb() {
    return verb;
  }

  /** ipmitool's arguments for this command: {@code chassis power <verb>}. */
  public List<String> args() {
    return List.of("chassis", "power", verb);
  }
}
