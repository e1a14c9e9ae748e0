package org.corral.controller.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Flyway's and H2's logging down to WARN in the store's tests. The module has no logback
 * configuration for tests, so logback logs everything at DEBUG, and Flyway's classpath scan on
 * every open then dominates the run time of tests that open many stores.
 */
final class QuietFlyway {
  private QuietFlyway() {}

  static void apply() {
    for (String name : new String[] {"org.flywaydb", "org.jdbi", "h2database"}) {
      if (LoggerFactory.getLogger(name) instanceof Logger logback) {
        logback.setLevel(Level.WARN);
      }
    }
  }
}
