package org.corral.model.auth;

import java.time.Instant;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;

/**
 * An SSH public key a user registered under a name (an EC2 key pair): given to the VMs they start
 * with it through cloud-init. Corral keeps the public key only; a key pair it generates hands its
 * private key over once and forgets it.
 *
 * @param publicKey   one OpenSSH line: type, base64 key, optional comment
 * @param fingerprint MD5 of the key, hex bytes separated by colons (as EC2 shows imported keys)
 */
public record KeyPair(String user, String name, String publicKey, String fingerprint, Instant created) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** A public key line: far above a 16384-bit RSA key. */
  public static final int MAX_PUBLIC_KEY = 16 * 1024;

  public KeyPair {
    requireName("keyName", name);
    if (user == null || publicKey == null || fingerprint == null || created == null) {
      throw new InvalidInputException("key pair", "lacks its user, key, fingerprint or creation time", "import an OpenSSH public key");
    }
    if (publicKey.length() > MAX_PUBLIC_KEY || publicKey.contains("\n")) {
      throw new InvalidInputException("publicKey", "is not one OpenSSH public key line of at most " + MAX_PUBLIC_KEY + " characters",
          "give the content of a .pub file, e.g. ssh-ed25519 AAAA... you@host");
    }
  }

  /** The row's key in the store: user and name. */
  public String id() {
    return user + "/" + name;
  }

  public static String requireName(String field, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(field, (name == null ? "is missing" : InvalidInputException.quote(name) + " is not a key pair name"),
          "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
