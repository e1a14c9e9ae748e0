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
 * for Jetty. Errors name the file and the fix; they never quote the key.
 */
final class TlsFiles {
  private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  /** The in-memory store's password: it protects nothing (the store never leaves memory). */
  static final String STORE_PASSWORD = "corral";

  private TlsFiles() {}

  static KeyStore keyStore(ApiSettings.Tls tls) {
    Certificate[] chain = certificates(tls.certificate());
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

  private static Certificate[] certificates(Path file) {
    try (var in = new ByteArrayInputStream(read("api.tls.certificate", file))) {
      Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
      if (chain.length == 0) {
        throw new InvalidInputException("api.tls.certificate", file + " holds no certificate", "give a PEM file (BEGIN CERTIFICATE)");
      }
      return chain;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException("api.tls.certificate", file + " is not a PEM certificate (" + e.getMessage() + ")",
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
