package org.corral.controller.ec2;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.corral.model.auth.KeyPair;

/**
 * SSH keys for EC2 key pairs: an imported OpenSSH public key checked (its type, and that its
 * base64 blob names the same type), or a new RSA key pair made here, whose private key is handed
 * over once and not kept. The fingerprint is the MD5 of the key blob, as EC2 shows imported keys.
 */
final class KeyPairs {
  private static final Set<String> TYPES = Set.of("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521");

  private KeyPairs() {}

  /** A key pair of {@code user} from an OpenSSH public key line. */
  static KeyPair imported(String user, String name, String line, Instant now) {
    String[] parts = line.strip().split("\\s+", 3);
    byte[] blob;
    try {
      blob = parts.length < 2 ? new byte[0] : Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      blob = new byte[0];
    }
    if (parts.length < 2 || !TYPES.contains(parts[0]) || !parts[0].equals(firstString(blob))) {
      throw Ec2Exception.invalid("PublicKeyMaterial", "is not an OpenSSH public key (" + String.join(", ", TYPES.stream().sorted().toList())
          + "); give the content of a .pub file, e.g. ssh-ed25519 AAAA... you@host");
    }
    return new KeyPair(user, name, parts[0] + " " + parts[1], fingerprint(blob), now);
  }

  /** A new RSA key pair: the public half to keep, and the private key (PKCS#8 PEM) to hand over once. */
  record Made(KeyPair keyPair, String privateKeyPem) {
    @Override
    public String toString() {
      return "Made[" + keyPair.name() + "]"; // never the private key
    }
  }

  static Made make(String user, String name, SecureRandom random, Instant now) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, random);
      java.security.KeyPair kp = g.generateKeyPair();
      RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
      writeString(out, pub.getPublicExponent().toByteArray());
      writeString(out, pub.getModulus().toByteArray());
      byte[] blob = bytes.toByteArray();
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      KeyPair k = new KeyPair(user, name, "ssh-rsa " + Base64.getEncoder().encodeToString(blob), fingerprint(blob), now);
      return new Made(k, pem);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("every Java makes RSA keys", e);
    }
  }

  /** The key pair's id as EC2 shows it: {@code key-} and 17 hex digits of the SHA-256 of user and name. */
  static String id(KeyPair k) {
    return "key-" + HexFormat.of().formatHex(SigV4.sha256(k.id().getBytes(StandardCharsets.UTF_8))).substring(0, 17);
  }

  private static void writeString(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static String firstString(byte[] blob) {
    if (blob.length < 4) {
      return "";
    }
    int n = ByteBuffer.wrap(blob).getInt();
    return n <= 0 || n > blob.length - 4 ? "" : new String(blob, 4, n, StandardCharsets.US_ASCII);
  }

  private static String fingerprint(byte[] blob) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
      return HexFormat.ofDelimiter(":").formatHex(md5);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java has MD5", e);
    }
  }
}
