package org.corral.controller.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.corral.controller.Controller;
import org.corral.controller.auth.Tokens;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The first start's administrator: when the store has no users, {@code corral up} creates
 * {@code admin} and writes its first token to {@code HOME/admin.token}, readable by its owner
 * only (0600), as k3s writes its admin kubeconfig; the CLI with the same CORRAL_HOME reads it by
 * itself. The token does not expire; `corral token revoke` ends it.
 */
public final class AdminToken {
  /** The file's name under the home directory. */
  public static final String FILE = "admin.token";

  private AdminToken() {}

  /** Creates the admin and writes the file when the store has no users; returns the file, or null. */
  static @Nullable Path bootstrap(Controller controller, Path home) {
    Tokens.Issued issued = controller.call(() -> controller.accounts().bootstrap());
    if (issued == null) {
      return null;
    }
    Path file = home.resolve(FILE);
    write(file, issued.text() + "\n");
    return file;
  }

  /** Writes {@code text} to {@code file} with mode 0600 from its creation on (never readable by others, even briefly). */
  static void write(Path file, String text) {
    Path tmp = file.resolveSibling(FILE + ".new");
    try {
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new InvalidInputException("--home", "another process is writing " + tmp, "start one Corral per home directory");
    } catch (IOException e) {
      throw new InvalidInputException("--home", "cannot write the admin token to " + file + ": " + e.getMessage(),
          "choose a writable directory with --home or CORRAL_HOME");
    }
  }
}
