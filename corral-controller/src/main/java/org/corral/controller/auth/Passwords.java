package org.corral.controller.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.corral.model.InvalidInputException;

/**
 * Argon2id password hashes (Bouncy Castle's implementation) in the PHC string format that the
 * reference implementation and libsodium write: {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}.
 * The cost is OWASP's first recommendation for Argon2id (19 MiB, 2 passes, 1 lane): 40 to 70 ms
 * a hash on a 2-core machine (bench/auth). A hash written with other parameters is still verified with its own. Thread-safe.
 */
public final class Passwords {
  static final int MEMORY_KIB = 19 * 1024;
  static final int ITERATIONS = 2;
  static final int LANES = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  /** Shortest password accepted: NIST SP 800-63B's minimum for a password a user chooses. */
  public static final int MIN_LENGTH = 8;
  /** Longest: well above any passphrase, and a bound on the work one login can ask for. */
  public static final int MAX_LENGTH = 1024;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final SecureRandom random;

  public Passwords(SecureRandom random) {
    this.random = random;
  }

  /** Checks a new password's length; the error never quotes it. */
  public static void checkNew(String field, String password) {
    if (password == null || password.isEmpty()) {
      throw new InvalidInputException(field, "is missing", "give a password of at least " + MIN_LENGTH + " characters");
    }
    int n = password.codePointCount(0, password.length());
    if (n < MIN_LENGTH || n > MAX_LENGTH) {
      throw new InvalidInputException(field, "has " + n + " characters", "give " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
    }
  }

  /** A new hash of {@code password} with a fresh random salt. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, LANES, HASH_BYTES);
    return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + B64.encodeToString(salt) + "$"
        + B64.encodeToString(out);
  }

  /** Whether {@code password} matches {@code phc} (false for a hash this class cannot read); constant time in the hash. */
  public static boolean verify(String password, String phc) {
    if (password == null || phc == null || password.length() > MAX_LENGTH * 2) {
      return false;
    }
    Matcher m = PHC.matcher(phc);
    if (!m.matches()) {
      return false;
    }
    int memory = Integer.parseInt(m.group(1));
    int iterations = Integer.parseInt(m.group(2));
    int lanes = Integer.parseInt(m.group(3));
    if (memory > 1024 * 1024 || iterations < 1 || lanes < 1 || memory < 8 * lanes) {
      return false;
    }
    byte[] salt = B64D.decode(m.group(4));
    byte[] expected = B64D.decode(m.group(5));
    byte[] actual = derive(password, salt, memory, iterations, lanes, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(lanes)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[length];
    gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
