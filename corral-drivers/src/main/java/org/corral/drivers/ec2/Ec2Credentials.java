package org.corral.drivers.ec2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * An access key read from where the URI points, never from the URI itself (Corral refuses secrets
 * in URIs, {@code org.corral.model.Secrets}): {@code credentialsEnv=NAME} (the variable holds
 * {@code KEY_ID:SECRET}) or {@code credentialsFile=/path} (an AWS credentials file:
 * {@code aws_access_key_id = ...} and {@code aws_secret_access_key = ...}, the first of each).
 * {@link #toString()} never shows the secret.
 */
record Ec2Credentials(String accessKeyId, String secret) {
  static final String EXAMPLE = "credentialsEnv=CORRAL_EC2_KEY or credentialsFile=/etc/corral/ec2-credentials";

  static Ec2Credentials read(String field, @Nullable String file, @Nullable String envName, Function<String, @Nullable String> env) {
    if ((file == null) == (envName == null)) {
      throw new InvalidInputException(field, file == null ? "no credentials: neither credentialsFile nor credentialsEnv is given"
          : "both credentialsFile and credentialsEnv are given", "give one: " + EXAMPLE);
    }
    if (envName != null) {
      String name = envName;
      String value = env.apply(name);
      if (value == null || value.isBlank()) {
        throw new InvalidInputException(field, "environment variable " + InvalidInputException.quote(name) + " is not set",
            "export " + name + "=KEY_ID:SECRET (an access key from `corral keys create` or AWS) before starting Corral");
      }
      int colon = value.indexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new InvalidInputException(field, "environment variable " + InvalidInputException.quote(name) + " is not KEY_ID:SECRET",
            "set it to the access key id, a colon and the secret");
      }
      return new Ec2Credentials(value.substring(0, colon).strip(), value.substring(colon + 1).strip());
    }
    return fromFile(field, Path.of(java.util.Objects.requireNonNull(file, "one of the two is given")));
  }

  private static Ec2Credentials fromFile(String field, Path path) {
    String id = null;
    String secret = null;
    try {
      for (String line : Files.readAllLines(path)) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String k = line.substring(0, eq).strip();
        String v = line.substring(eq + 1).strip();
        if (k.equals("aws_access_key_id") && id == null) {
          id = v;
        } else if (k.equals("aws_secret_access_key") && secret == null) {
          secret = v;
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(field, "cannot read credentials file " + path + " (" + e.getClass().getSimpleName() + ")",
          "make it readable by the Corral user");
    }
    if (id == null || secret == null || id.isEmpty() || secret.isEmpty()) {
      throw new InvalidInputException(field, "credentials file " + path + " lacks aws_access_key_id or aws_secret_access_key",
          "write both, one per line, as in ~/.aws/credentials");
    }
    return new Ec2Credentials(id, secret);
  }

  @Override
  public String toString() {
    return "Ec2Credentials[" + accessKeyId + ", secret hidden]";
  }
}
