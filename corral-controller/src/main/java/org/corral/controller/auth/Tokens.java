package org.corral.controller.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.model.auth.ApiToken;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens: {@code corral_ID_SECRET}, ID 12 hex digits (48 random bits, the row to look up)
 * and SECRET 43 base64url characters (256 random bits). Only the SHA-256 of the secret is stored:
 * a secret that random needs no slow hash, and checking it on every request must be cheap. The
 * {@code corral_} prefix lets secret scanners recognise a leaked token. Thread-safe.
 */
public final class Tokens {
  private static final Pattern TOKEN = Pattern.compile("corral_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
  private final SecureRandom random;

  public Tokens(SecureRandom random) {
    this.random = random;
  }

  /** A new token: the record to store, and the text to show once. */
  public record Issued(ApiToken token, String text) {
    @Override
    public String toString() {
      return "Issued[" + token + "]"; // never the text
    }
  }

  public Issued issue(String user, @Nullable String description, Instant now, @Nullable Instant expires) {
    byte[] id = new byte[6];
    byte[] secret = new byte[32];
    random.nextBytes(id);
    random.nextBytes(secret);
    String idText = HexFormat.of().formatHex(id);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(new ApiToken(idText, user, sha256(secretText), description, now, expires), "corral_" + idText + "_" + secretText);
  }

  /** The token's id and secret parts, or null when {@code text} is not shaped like a Corral token. */
  public record Parsed(String id, String secret) {
    @Override
    public String toString() {
      return "Parsed[" + id + "]";
    }
  }

  public static @Nullable Parsed parse(@Nullable String text) {
    if (text == null) {
      return null;
    }
    Matcher m = TOKEN.matcher(text.strip());
    return m.matches() ? new Parsed(m.group(1), m.group(2)) : null;
  }

  /** Whether {@code secret} is the one {@code stored} was issued with (constant time). */
  public static boolean matches(ApiToken stored, String secret) {
    return MessageDigest.isEqual(stored.secretHash().getBytes(StandardCharsets.US_ASCII),
        sha256(secret).getBytes(StandardCharsets.US_ASCII));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
