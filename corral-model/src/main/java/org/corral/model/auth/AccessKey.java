package org.corral.model.auth;

import java.time.Instant;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * An EC2 access key as stored: its public id, whose it is, and its secret sealed (encrypted) with
 * the controller's key-encryption key. AWS Signature Version 4 needs the secret itself to check a
 * signature, so it cannot be kept as a one-way hash as a token's is; the database alone does not
 * reveal it (docs/security.md). The secret is shown once, when the key is made.
 *
 * @param id           {@code CKIA} + 16 upper-case base32 characters (the shape of an AWS access key id)
 * @param sealedSecret {@code v1:} + base64 of AES-256-GCM nonce and ciphertext; never shown
 *                     ({@link #toString} leaves it out)
 * @param description  what the key is for, as its maker wrote it, or null
 */
public record AccessKey(String id, String user, String sealedSecret, @Nullable String description, Instant created) {
  private static final Pattern ID = Pattern.compile("CKIA[A-Z2-7]{16}");

  public AccessKey {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidInputException("id", (id == null ? "is missing" : InvalidInputException.quote(id) + " is not an access key id"),
          "an access key id is CKIA and 16 letters or digits 2-7, as `corral keys list` shows");
    }
    if (user == null || sealedSecret == null || created == null) {
      throw new InvalidInputException("access key", "lacks its user, secret or creation time", "make keys with `corral keys create`");
    }
    if (description != null && description.length() > 200) {
      throw new InvalidInputException("description", "is " + description.length() + " characters long", "use at most 200");
    }
  }

  public static boolean isId(@Nullable String text) {
    return text != null && ID.matcher(text).matches();
  }

  @Override
  public String toString() {
    return "AccessKey[" + id + " of " + user + "]";
  }
}
