package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.corral.cli.api.Json;
import org.corral.cli.api.SettingException;
import org.jspecify.annotations.Nullable;

/**
 * Where the CLI finds its token, first found wins: {@code CORRAL_TOKEN}; the token {@code corral
 * login} stored for this API URL in the credentials file ({@code CORRAL_CREDENTIALS}, else
 * {@code $HOME/.config/corral/credentials.json}, mode 0600); and, for an API on this machine, the
 * admin token {@code corral up} wrote to {@code admin.token} under CORRAL_HOME (else ./var), as
 * kubectl uses the kubeconfig k3s writes. The token never appears in output or errors.
 */
public final class Credentials {
  static final String ADMIN_TOKEN_FILE = "admin.token";

  private Credentials() {}

  /** The token to send to {@code apiUrl}, or null when none is found. */
  static @Nullable String token(Session session, String apiUrl) {
    String fromEnv = session.env("CORRAL_TOKEN");
    if (fromEnv != null) {
      return fromEnv.strip();
    }
    Path file = file(session);
    if (file != null && Files.isRegularFile(file)) {
      JsonNode entry = read(file).path(key(apiUrl));
      if (entry.hasNonNull("token")) {
        return entry.get("token").asText();
      }
    }
    if (isLocal(apiUrl)) {
      String home = session.env("CORRAL_HOME");
      Path admin = Path.of(home != null ? home : "var").resolve(ADMIN_TOKEN_FILE);
      if (Files.isReadable(admin)) {
        try {
          return Files.readString(admin, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** The credentials file, or null when neither CORRAL_CREDENTIALS nor HOME is set. */
  static @Nullable Path file(Session session) {
    String explicit = session.env("CORRAL_CREDENTIALS");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String home = session.env("HOME");
    return home == null ? null : Path.of(home, ".config", "corral", "credentials.json");
  }

  /** Stores {@code token} of {@code user} for {@code apiUrl}, keeping the other servers' entries. */
  static Path store(Session session, String apiUrl, String user, String token) {
    Path file = file(session);
    if (file == null) {
      throw new SettingException("nowhere to keep the token: set HOME or CORRAL_CREDENTIALS, or pass it as CORRAL_TOKEN");
    }
    ObjectNode all = Files.isRegularFile(file) && read(file) instanceof ObjectNode o ? o : Json.object();
    all.set(key(apiUrl), Json.object().put("user", user).put("token", token));
    try {
      Path dir = java.util.Objects.requireNonNull(file.toAbsolutePath().getParent(), "an absolute file has a parent");
      Files.createDirectories(dir);
      Path tmp = dir.resolve(file.getFileName() + ".new");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, Json.pretty(all) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SettingException("cannot write " + file + " (" + e.getMessage() + "); set CORRAL_CREDENTIALS to a writable file");
    }
    return file;
  }

  private static JsonNode read(Path file) {
    try {
      return Json.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException | RuntimeException e) {
      throw new SettingException("cannot read " + file + "; delete it and log in again with `corral login`");
    }
  }

  /** The API URL as a key: scheme, host and port, without /api/v1 or a trailing slash. */
  static String key(String apiUrl) {
    String s = apiUrl.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.endsWith("/api/v1") ? s.substring(0, s.length() - "/api/v1".length()) : s;
  }

  private static boolean isLocal(String apiUrl) {
    try {
      String host = URI.create(key(apiUrl)).getHost();
      return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
