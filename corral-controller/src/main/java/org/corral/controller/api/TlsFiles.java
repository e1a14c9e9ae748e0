package org.corral.controller.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;

/**
 * api.tls: a PEM certificate chain and its PKCS#8 private key, read into an in-memory key store
 * for Jetty; and PEM certificates to trust as a client (e-mail's {@code trust}). Errors name the
 * field, the file and the fix; they never quote the key.
 */
public final class TlsFiles {
  private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  /** The in-memory store's password: it protects nothing (the store never leaves memory). */
  static final String STORE_PASSWORD = "corral";

  private TlsFiles() {}

  static KeyStore keyStore(ApiSettings.Tls tls) {
    Certificate[] chain = certificates("api.tls.certificate", tls.certificate());
    PrivateKey key = privateKey(tls.key());
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("corral", key, STORE_PASSWORD.toCharArray(), chain);
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException("api.tls", "the key in " + tls.key() + " does not go with the certificate in "
          + tls.certificate() + " (" + e.getMessage() + ")", "give the certificate and the key it was issued for");
    }
  }

  /**
   * A TLS client context that trusts exactly the PEM certificates in {@code file} (a private CA's,
   * or a server's own self-signed one), in place of the JVM's default trust store; host names are
   * still checked by the caller. Errors name {@code field}.
   */
  public static javax.net.ssl.SSLContext trusting(String field, Path file) {
    Certificate[] certs = certificates(field, file);
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < certs.length; i++) {
        trust.setCertificateEntry("trusted-" + i, certs[i]);
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(field, "the certificates in " + file + " cannot be trusted (" + e.getMessage() + ")",
          "give a PEM file of CA certificates (BEGIN CERTIFICATE)");
    }
  }

  private static Certificate[] certificates(String field, Path file) {
    try (var in = new ByteArrayInputStream(read(field, file))) {
      Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
      if (chain.length == 0) {
        throw new InvalidInputException(field, file + " holds no certificate", "give a PEM file (BEGIN CERTIFICATE)");
      }
      return chain;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(field, file + " is not a PEM certificate (" + e.getMessage() + ")",
          "give a PEM file (BEGIN CERTIFICATE), the server's certificate first");
    }
  }

  private static PrivateKey privateKey(Path file) {
    Matcher m = KEY.matcher(new String(read("api.tls.key", file), StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new InvalidInputException("api.tls.key", file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY)",
          "convert it: openssl pkcs8 -topk8 -nocrypt -in OLD.key -out " + file);
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisAlgorithm) {
        // try the next
      }
    }
    throw new InvalidInputException("api.tls.key", file + " holds a key that is not RSA, EC or Ed25519", "give an RSA or EC key");
  }

  private static byte[] read(String field, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidInputException(field, "cannot read " + file + " (" + e.getMessage() + ")",
          "give a file Corral's user can read");
    }
  }
}
