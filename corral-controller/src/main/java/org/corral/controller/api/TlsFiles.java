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
 * TLS files for Corral's listeners (api.tls, ec2.tls): a PEM certificate chain and its PKCS#8
 * private key, or a PKCS#12 key store, read into an in-memory key store for Jetty, and the HTTPS
 * connector that replaces a Javalin server's plain one; and PEM certificates to trust as a client
 * (e-mail's {@code trust}). Errors name the field, the file and the fix; they never quote a key or
 * a password.
 */
public final class TlsFiles {
  private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  /** The in-memory store's password: it protects nothing (the store never leaves memory). */
  static final String STORE_PASSWORD = "corral";

  private TlsFiles() {}

  static KeyStore keyStore(ApiSettings.Tls tls) {
    return keyStore("api.tls", tls.certificate(), tls.key());
  }

  /** {@code field}'s certificate (PEM chain, the server's first) and key (unencrypted PKCS#8 PEM). */
  public static KeyStore keyStore(String field, Path certificate, Path keyFile) {
    Certificate[] chain = certificates(field + ".certificate", certificate);
    PrivateKey key = privateKey(field + ".key", keyFile);
    try {
      return store(key, chain);
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(field, "the key in " + keyFile + " does not go with the certificate in "
          + certificate + " (" + e.getMessage() + ")", "give the certificate and the key it was issued for");
    }
  }

  /** {@code field}'s PKCS#12 key store: its first key entry, with its certificate chain. */
  public static KeyStore pkcs12(String field, Path file, String password) {
    try (var in = new ByteArrayInputStream(read(field + ".keystore", file))) {
      KeyStore p12 = KeyStore.getInstance("PKCS12");
      p12.load(in, password.toCharArray());
      for (String alias : java.util.Collections.list(p12.aliases())) {
        if (p12.isKeyEntry(alias)) {
          PrivateKey key = (PrivateKey) p12.getKey(alias, password.toCharArray());
          Certificate[] chain = p12.getCertificateChain(alias);
          if (key != null && chain != null && chain.length > 0) {
            return store(key, chain);
          }
        }
      }
      throw new InvalidInputException(field + ".keystore", file + " holds no private key with its certificate",
          "give a PKCS#12 file made with the key, e.g. openssl pkcs12 -export -inkey tls.key -in tls.crt -out " + file);
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(field + ".keystore", file + " cannot be read as PKCS#12 with the password given ("
          + e.getClass().getSimpleName() + ")", "check the file and its password (passwordEnv or passwordFile)");
    }
  }

  private static KeyStore store(PrivateKey key, Certificate[] chain) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("corral", key, STORE_PASSWORD.toCharArray(), chain);
    return ks;
  }

  /** Makes {@code cfg}'s server listen with HTTPS only, on {@code host:port}, with {@code keys}; start it with {@code start()}. */
  public static void https(io.javalin.config.JavalinConfig cfg, KeyStore keys, String host, int port) {
    cfg.jetty.addConnector((server, http) -> {
      org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
      ssl.setKeyStore(keys);
      ssl.setKeyStorePassword(STORE_PASSWORD);
      org.eclipse.jetty.server.HttpConfiguration https = new org.eclipse.jetty.server.HttpConfiguration(http);
      https.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
      org.eclipse.jetty.server.ServerConnector c = new org.eclipse.jetty.server.ServerConnector(server,
          new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"), new org.eclipse.jetty.server.HttpConnectionFactory(https));
      c.setHost(host);
      c.setPort(port);
      return c;
    });
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

  private static PrivateKey privateKey(String field, Path file) {
    Matcher m = KEY.matcher(new String(read(field, file), StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new InvalidInputException(field, file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY)",
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
    throw new InvalidInputException(field, file + " holds a key that is not RSA, EC or Ed25519", "give an RSA or EC key");
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
