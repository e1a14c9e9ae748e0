package org.corral.controller.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * Thousands of scenarios each log their faults as warnings: while open, Corral's loggers keep
 * errors only; closing restores the level (other tests in the same JVM read the warnings).
 */
final class Quiet implements AutoCloseable {
  private final Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger("org.corral");
  private final Level before = logger.getLevel();

  private Quiet() {
    logger.setLevel(Level.ERROR);
  }

  static Quiet logs() {
    return new Quiet();
  }

  @Override
  public void close() {
    logger.setLevel(before);
  }
}
