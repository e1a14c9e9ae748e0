package org.corral.controller.faults;

/** Thousands of scenarios each log their faults as warnings: the suite keeps errors only. */
final class Quiet {
  private Quiet() {}

  static void logs() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.corral")).setLevel(ch.qos.logback.classic.Level.ERROR);
  }
}
