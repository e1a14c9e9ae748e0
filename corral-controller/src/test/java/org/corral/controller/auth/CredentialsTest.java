package org.corral.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.corral.model.InvalidInputException;
import org.corral.model.auth.ApiToken;
import org.junit.jupiter.api.Test;

/** Password hashes, token texts and the failed-login limit. */
class CredentialsTest {
  private final Passwords passwords = new Passwords(new SecureRandom());
  private final Tokens tokens = new Tokens(new SecureRandom());

  @Test
  void aPasswordHashIsArgon2idSaltedAndVerifiesOnlyItsPassword() {
    String h1 = passwords.hash("correct horse battery");
    String h2 = passwords.hash("correct horse battery");
    assertThat(h1).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct");
    assertThat(h1).as("a fresh salt each time").isNotEqualTo(h2);
    assertThat(Passwords.verify("correct horse battery", h1)).isTrue();
    assertThat(Passwords.verify("correct horse batterY", h1)).isFalse();
    assertThat(Passwords.verify("correct horse battery", "$2a$10$notargon")).isFalse();
    assertThat(Passwords.verify("correct horse battery", "$argon2id$v=19$m=99999999,t=2,p=1$AA$AA")).as("absurd cost refused").isFalse();
  }

  @Test
  void theHashIsTheReferenceArgon2id() {
    // RFC 9106 section 5.3 (Argon2id): its test vector, with secret and associated data, is not
    // what a password hash uses; this one is the reference CLI's:
    // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32
    byte[] out = Passwords.derive("password", "somesalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 65536, 2, 1, 32);
    assertThat(java.util.HexFormat.of().formatHex(out)).isEqualTo("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
  }

  @Test
  void newPasswordsAreCheckedWithoutBeingQuoted() {
    assertThatThrownBy(() -> Passwords.checkNew("password", "short7!")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("7 characters").hasMessageNotContaining("short7!");
    Passwords.checkNew("password", "longenough");
  }

  @Test
  void aTokenIsShownOnceAndStoredAsAHashOfItsSecret() {
    Instant now = Instant.parse("2026-12-04T10:00:00Z");
    Tokens.Issued t = tokens.issue("alice", "ci", now, now.plus(Duration.ofDays(1)));
    assertThat(t.text()).matches("corral_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
    Tokens.Parsed parsed = Tokens.parse(t.text());
    assertThat(parsed).isNotNull();
    ApiToken stored = t.token();
    assertThat(stored.id()).isEqualTo(parsed.id());
    assertThat(stored.secretHash()).doesNotContain(parsed.secret()).hasSize(64);
    assertThat(stored.toString() + t).doesNotContain(parsed.secret());
    assertThat(Tokens.matches(stored, parsed.secret())).isTrue();
    assertThat(Tokens.matches(stored, parsed.secret().substring(1) + "A")).isFalse();
    assertThat(stored.expiredAt(now)).isFalse();
    assertThat(stored.expiredAt(now.plus(Duration.ofDays(1)))).isTrue();
    assertThat(Tokens.parse("Bearer " + t.text())).isNull();
    assertThat(Tokens.parse("corral_xyz")).isNull();
  }

  @Test
  void failedLoginsAreLimitedPerUserAndPerAddressWithinTheWindow() {
    LoginLimiter limiter = new LoginLimiter();
    Instant t0 = Instant.parse("2026-12-04T10:00:00Z");
    for (int i = 0; i < LoginLimiter.PER_USER; i++) {
      assertThat(limiter.waitSeconds("alice", "10.0.0.1", t0)).isZero();
      limiter.failed("alice", "10.0.0.1", t0.plusSeconds(i));
    }
    long wait = limiter.waitSeconds("alice", "10.0.0.1", t0.plusSeconds(10));
    assertThat(wait).as("locked until the first failure leaves the window").isBetween(LoginLimiter.WINDOW.toSeconds() - 10,
        LoginLimiter.WINDOW.toSeconds());
    assertThat(limiter.waitSeconds("alice", "10.0.0.2", t0.plusSeconds(10))).as("per user, from any address").isPositive();
    assertThat(limiter.waitSeconds("bob", "10.0.0.1", t0.plusSeconds(10))).as("another user from the same address").isZero();
    assertThat(limiter.waitSeconds("alice", "10.0.0.1", t0.plus(LoginLimiter.WINDOW).plusSeconds(1))).isZero();

    for (int i = 0; i < LoginLimiter.PER_ADDRESS; i++) {
      limiter.failed("user" + i, "10.9.9.9", t0);
    }
    assertThat(limiter.waitSeconds("someone-else", "10.9.9.9", t0.plusSeconds(1))).as("per address, any user").isPositive();
  }
}
