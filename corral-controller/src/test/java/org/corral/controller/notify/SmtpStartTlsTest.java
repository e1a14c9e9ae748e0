package org.corral.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.corral.controller.config.ConfigReader;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * e-mail with {@code starttls: true}: the session is upgraded before the login, the server's
 * certificate is checked against the configured {@code trust} file, and nothing (no login, no
 * message) is sent when the server does not offer STARTTLS or its certificate is not trusted.
 * The server is this test's own (GreenMail has no STARTTLS: greenmail-mail-test/greenmail#135);
 * its certificate is made here with the JDK's keytool.
 */
class SmtpStartTlsTest {
  private static final String PASSWORD = "pa55-word-never-logged";

  @TempDir
  Path dir;
  private SSLContext serverTls;
  private Path trustPem;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void certificate() throws Exception {
    Path p12 = dir.resolve("smtp.p12");
    keytool("-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
        "-storepass", "changeit");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    trustPem = dir.resolve("smtp-ca.pem");
    Files.writeString(trustPem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ks.getCertificate("smtp").getEncoded()) + "\n-----END CERTIFICATE-----\n");
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (InputStream out = p.getInputStream()) {
      String text = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(text).isZero();
    }
  }

  /** The e-mail channel corral.yaml describes, with {@code extra} fields in its email section. */
  private SmtpMail channel(int port, String extra) {
    var config = ConfigReader.parse("guardian: {notify: {email: {server: \"127.0.0.1:" + port + "\", from: corral@lab.test, "
        + "to: [ops@lab.test]" + extra + "}}}", "t", Map.of("SMTP_PASSWORD", PASSWORD));
    return (SmtpMail) config.controller().guardian().channels().getFirst();
  }

  private static Notification note() {
    return new Notification(Notification.HOST_FENCED, Instant.parse("2026-12-05T00:00:00Z"), 7, "node02",
        "node02 fenced: power confirmed off");
  }

  private TinySmtpServer server(boolean offersStartTls) throws IOException {
    TinySmtpServer s = new TinySmtpServer(0, offersStartTls ? serverTls : null);
    open.add(s);
    return s;
  }

  @Test
  void starttlsUpgradesTheSessionBeforeTheLoginAndTheMessage() throws Exception {
    TinySmtpServer smtp = server(true);
    SmtpMail mail = channel(smtp.port(), ", starttls: true, user: corral, passwordEnv: SMTP_PASSWORD, trust: \"" + trustPem + "\"");

    mail.send(note());

    assertThat(smtp.received).singleElement().satisfies(m -> {
      assertThat(m.tls()).as("the message came under TLS").isTrue();
      assertThat(m.login()).isEqualTo("corral:" + PASSWORD);
      assertThat(m.data()).contains("Subject: [corral] host.fenced node02");
    });
    assertThat(smtp.inClear).as("in clear: only the greeting's EHLO and STARTTLS").containsExactly("EHLO corral", "STARTTLS");
    assertThat(mail.name()).as("the channel's name, as logs show it").isEqualTo("e-mail to ops@lab.test via "
        + "smtp+starttls://corral@127.0.0.1:" + smtp.port()).doesNotContain(PASSWORD);
  }

  @Test
  void aServerThatDoesNotOfferStarttlsGetsNeitherTheLoginNorTheMessage() throws Exception {
    TinySmtpServer smtp = server(false);
    SmtpMail mail = channel(smtp.port(), ", starttls: true, user: corral, passwordEnv: SMTP_PASSWORD, trust: \"" + trustPem + "\"");

    assertThatThrownBy(() -> mail.send(note())).isInstanceOf(IOException.class).hasMessageContaining("does not offer STARTTLS")
        .hasMessageNotContaining(PASSWORD);

    assertThat(smtp.inClear).containsExactly("EHLO corral");
    assertThat(smtp.received).isEmpty();
  }

  @Test
  void aCertificateNotTrustedEndsTheSessionBeforeTheLogin() throws Exception {
    TinySmtpServer smtp = server(true);
    SmtpMail mail = channel(smtp.port(), ", starttls: true, user: corral, passwordEnv: SMTP_PASSWORD"); // the JVM's CAs only

    assertThatThrownBy(() -> mail.send(note())).isInstanceOf(javax.net.ssl.SSLException.class);

    assertThat(smtp.inClear).containsExactly("EHLO corral", "STARTTLS");
    assertThat(smtp.received).isEmpty();
  }

  @Test
  void badCombinationsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> channel(25, ", tls: true, starttls: true"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.notify.email.starttls"));
    assertThatThrownBy(() -> channel(25, ", tls: false, user: corral, passwordEnv: SMTP_PASSWORD"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.notify.email.tls"))
        .hasMessageContaining("starttls: true");
    assertThatThrownBy(() -> channel(25, ", trust: \"" + trustPem + "\""))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.notify.email.trust"));
    assertThatThrownBy(() -> channel(25, ", starttls: true, trust: \"" + dir.resolve("missing.pem") + "\""))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.notify.email.trust"));
  }
}
