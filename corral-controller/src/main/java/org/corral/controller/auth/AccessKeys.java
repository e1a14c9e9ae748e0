package org.corral.controller.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.corral.model.InvalidInputException;
import org.corral.model.auth.AccessKey;
import org.jspecify.annotations.Nullable;

/**
 * EC2 access keys: an id {@code CKIA} + 16 base32 characters (80 random bits) and a secret of 40
 * base64 characters (240 random bits). AWS Signature Version 4 is an HMAC keyed with the secret
 * (through a key derived per day), so the controller must be able to read the secret back: it is
 * stored sealed with AES-256-GCM under a key-encryption key that lives outside the database
 * ({@code CORRAL_HOME/ec2-kek}, 0600), the key's id as associated data (a sealed secret copied to
 * another key's row does not open). A copy of the database alone reveals no secret. Thread-safe.
 */
public final class AccessKeys {
  /** The key-encryption key's file under the home directory. */
  public static final String KEK_FILE = "ec2-kek";
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final int NONCE_BYTES = 12;
  private final SecureRandom random;
  private volatile SecretKeySpec kek;

  /** With a key-encryption key of its own, kept in memory only (tests, an in-memory store). */
  public AccessKeys(SecureRandom random) {
    this.random = random;
    byte[] k = new byte[32];
    random.nextBytes(k);
    this.kek = new SecretKeySpec(k, "AES");
  }

  /** A new key: the record to store, and the secret to show once. */
  public record Issued(AccessKey key, String secret) {
    @Override
    public String toString() {
      return "Issued[" + key + "]"; // never the secret
    }
  }

  public Issued issue(String user, @Nullable String description, Instant now) {
    byte[] id = new byte[10];
    random.nextBytes(id);
    byte[] secret = new byte[30];
    random.nextBytes(secret);
    String idText = "CKIA" + base32(id);
    String secretText = Base64.getEncoder().encodeToString(secret);
    return new Issued(new AccessKey(idText, user, seal(idText, secretText), description, now), secretText);
  }

  /** The secret of a stored key, to check a signature with. */
  public String secret(AccessKey key) {
    String sealed = key.sealedSecret();
    if (!sealed.startsWith("v1:")) {
      throw new IllegalStateException("access key " + key.id() + " is sealed in an unknown format");
    }
    byte[] all = Base64.getDecoder().decode(sealed.substring(3));
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
      c.updateAAD(key.id().getBytes(StandardCharsets.US_ASCII));
      return new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("access key " + key.id() + " does not open with this controller's " + KEK_FILE
          + " (was the database moved without it?)", e);
    }
  }

  private String seal(String id, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(128, nonce));
      c.updateAAD(id.getBytes(StandardCharsets.US_ASCII));
      byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] all = new byte[nonce.length + ct.length];
      System.arraycopy(nonce, 0, all, 0, nonce.length);
      System.arraycopy(ct, 0, all, nonce.length, ct.length);
      return "v1:" + Base64.getEncoder().encodeToString(all);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java has AES-GCM", e);
    }
  }

  /**
   * Uses the key-encryption key in {@code home/ec2-kek}, making it (32 random bytes, mode 0600
   * from its creation on) when there is none. Call before any key is issued or checked.
   */
  public void useKeyFile(Path home) {
    Path file = home.resolve(KEK_FILE);
    try {
      if (!Files.exists(file)) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
          Files.createFile(file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.US_ASCII);
      }
      byte[] k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      if (k.length != 32) {
        throw new InvalidInputException(file.toString(), "holds " + k.length + " bytes, not 32",
            "restore the file from the backup made with the database, or delete it and every access key (`corral keys delete`)");
      }
      kek = new SecretKeySpec(k, "AES");
    } catch (FileAlreadyExistsException e) {
      useKeyFile(home); // another process made it a moment ago: read theirs
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidInputException("--home", "cannot read or write " + file + ": " + e.getMessage(),
          "choose a writable directory with --home or CORRAL_HOME");
    }
  }

  private static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    return out.toString();
  }
}
