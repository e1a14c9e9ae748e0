package org.corral.model.auth;

import java.time.Instant;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A bearer token as stored: its public id, whose it is, and the SHA-256 of its secret part (the
 * secret itself is shown once, when the token is made, and kept nowhere). Revoking deletes it.
 *
 * @param id          12 lower-case hex digits; the token a client sends is {@code corral_ID_SECRET}
 * @param secretHash  hex SHA-256 of the secret part; never shown ({@link #toString} leaves it out)
 * @param description what the token is for, as its maker wrote it, or null
 * @param expires     when it stops working, or null for never
 */
public record ApiToken(String id, String user, String secretHash, @Nullable String description, Instant created, @Nullable Instant expires) {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");

  public ApiToken {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidInputException("id", (id == null ? "is missing" : InvalidInputException.quote(id) + " is not a token id"),
          "a token id is 12 hex digits, as `corral token list` shows");
    }
    if (user == null || secretHash == null || created == null) {
      throw new InvalidInputException("token", "lacks its user, hash or creation time", "make tokens with `corral token create`");
    }
    if (description != null && description.length() > 200) {
      throw new InvalidInputException("description", "is " + description.length() + " characters long", "use at most 200");
    }
  }

  public static boolean isId(String text) {
    return text != null && ID.matcher(text).matches();
  }

  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }

  @Override
  public String toString() {
    return "ApiToken[" + id + " of " + user + "]";
  }
}
