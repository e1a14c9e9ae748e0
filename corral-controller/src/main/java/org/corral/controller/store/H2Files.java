package org.corral.controller.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.corral.model.InvalidInputException;

/**
 * Where an embedded H2 store lives: {@code <dir>/corral.mv.db}, and the URL that opens it.
 *
 * <p>Durability: {@code WRITE_DELAY=0} makes H2's MVStore write its changes to the file when each
 * transaction commits (with the default of 500 ms a background thread writes them later, and a
 * kill -9 loses up to half a second of commits). H2 does not fsync on commit, so a committed
 * batch survives the controller process being killed (the data is in the operating system's
 * page cache) but not necessarily a power cut or kernel crash; use PostgreSQL where that matters.
 */
final class H2Files {
  /** URL settings; every one is an H2 {@code SET} command. */
  static final String SETTINGS = ";WRITE_DELAY=0";
  static final String USER = "corral";

  private H2Files() {}

  /** Creates {@code dir} if needed, checks that it can be written, and returns the JDBC URL. */
  static String prepare(Path dir) {
    if (dir == null) {
      throw new InvalidInputException("dataDir", "is missing", "give the directory where Corral keeps its state, e.g. /var/lib/corral");
    }
    Path abs = dir.toAbsolutePath().normalize();
    if (abs.toString().contains(";")) {
      throw new InvalidInputException("dataDir", "'" + abs + "' contains ';', which ends a JDBC URL", "choose a directory whose path has no ';'");
    }
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory " + abs + " (" + e + "); create it and give it to"
          + " the user running Corral, or choose another directory", e);
    }
    if (!Files.isDirectory(abs) || !Files.isWritable(abs)) {
      throw new StoreException("the data directory " + abs + " cannot be written; give it to the user running Corral,"
          + " or choose another directory");
    }
    return "jdbc:h2:file:" + abs.resolve("corral") + SETTINGS;
  }
}
