package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** api.tls: HTTPS from a PEM certificate and key made here with openssl (skipped without it). */
class TlsTest {
  @TempDir
  Path dir;

  @Test
  void theApiServesHttpsWithTheGivenCertificateAndStillNeedsAToken() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    selfSigned(cert, key);
    try (RunningCorral corral = new RunningCorral(dir.resolve("home"),
        "{listen: \"127.0.0.1:0\", tls: {certificate: \"" + cert + "\", key: \"" + key + "\"}}");
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      URI whoami = URI.create("https://127.0.0.1:" + corral.runtime.port() + "/api/v1/whoami");
      HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(whoami).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      HttpResponse<String> admin = https.send(HttpRequest.newBuilder(whoami)
          .header("Authorization", "Bearer " + TestTokens.admin(dir.resolve("home"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(admin.statusCode()).isEqualTo(200);
      assertThat(admin.body()).contains("\"name\":\"admin\"");
      URI overHttp = URI.create("http://127.0.0.1:" + corral.runtime.port() + "/api/v1/whoami");
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(overHttp).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("no plain HTTP beside HTTPS").isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void aKeyThatIsNotPemStopsTheStartNamingTheField() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(key, "not a key");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
        dir.resolve("other.key").toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost");
    assertThatThrownBy(() -> new RunningCorral(dir.resolve("home"),
        "{listen: \"127.0.0.1:0\", tls: {certificate: \"" + cert + "\", key: \"" + key + "\"}}").close())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("api.tls.key").hasMessageContaining("BEGIN PRIVATE KEY");
  }

  /** Runs openssl with {@code args}; the test is skipped where it is not installed. */
  static void openssl(String... args) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("openssl"), List.of(args).stream()).toList())
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.assumeTrue(false, "openssl is not installed");
      return;
    }
    try (InputStream out = p.getInputStream()) {
      String text = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(text).isZero();
    }
  }

  /** Trust managers that trust {@code cert} alone (a test's self-signed certificate). */
  static javax.net.ssl.TrustManager[] trustingOnly(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("corral", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf.getTrustManagers();
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, and its key, made with openssl. */
  static void selfSigned(Path cert, Path key) throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
  }

  private static SSLContext trusting(Path cert) throws Exception {
    javax.net.ssl.TrustManager[] trust = trustingOnly(cert);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trust, null);
    return ctx;
  }
}
