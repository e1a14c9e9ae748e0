package org.corral.drivers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the ec2:// driver reads its key, the caps, and the URI errors that change nothing. */
class Ec2CredentialsTest {
  @TempDir
  Path dir;

  @Test
  void readsAnAwsCredentialsFileOrAnEnvironmentVariableAndNeverShowsTheSecret() throws Exception {
    Path f = dir.resolve("creds");
    Files.writeString(f, "[default]\naws_access_key_id = AKID1\naws_secret_access_key = s3cr3t\n[other]\naws_access_key_id = X\n");
    Ec2Credentials c = Ec2Credentials.read("uri", f.toString(), null, n -> null);
    assertThat(c.accessKeyId()).isEqualTo("AKID1");
    assertThat(c.secret()).isEqualTo("s3cr3t");
    assertThat(c.toString()).doesNotContain("s3cr3t");
    Ec2Credentials e = Ec2Credentials.read("uri", null, "K", Map.of("K", "AKID2:x:y")::get);
    assertThat(e.accessKeyId()).isEqualTo("AKID2");
    assertThat(e.secret()).isEqualTo("x:y");
  }

  @Test
  void missingOrBothOrBadCredentialsAreClearErrors() {
    assertThatThrownBy(() -> Ec2Credentials.read("uri", null, null, n -> null)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("neither credentialsFile nor credentialsEnv");
    assertThatThrownBy(() -> Ec2Credentials.read("uri", "/x", "K", n -> null)).hasMessageContaining("both");
    assertThatThrownBy(() -> Ec2Credentials.read("uri", null, "K", n -> null)).hasMessageContaining("'K' is not set");
    assertThatThrownBy(() -> Ec2Credentials.read("uri", null, "K", Map.of("K", "nocolon")::get))
        .hasMessageContaining("KEY_ID:SECRET").hasMessageNotContaining("nocolon");
    assertThatThrownBy(() -> Ec2Credentials.read("uri", dir.resolve("none").toString(), null, n -> null))
        .hasMessageContaining("cannot read credentials file");
  }

  @Test
  void capsDefaultToTheStudysAndRejectTypos() {
    assertThat(Ec2Caps.parse("uri", null).perType()).containsExactly(Map.entry("t2.small", 5), Map.entry("m5.large", 2),
        Map.entry("m5.xlarge", 1));
    assertThat(Ec2Caps.parse("uri", "t2.micro:3").perType()).containsExactly(Map.entry("t2.micro", 3));
    assertThatThrownBy(() -> Ec2Caps.parse("uri", "t2.micro=3")).hasMessageContaining("TYPE:COUNT");
    assertThatThrownBy(() -> Ec2Caps.parse("uri", "a:1,a:2")).hasMessageContaining("distinct");
  }

  @Test
  void badUrisFailTheConnectWithTheFieldAndTheFix() {
    try (Ec2HypervisorDriver d = new Ec2HypervisorDriver(n -> null)) {
      assertThatThrownBy(() -> d.connect("ec2://127.0.0.1:1?credentialsEnv=K").toCompletableFuture().join())
          .hasCauseInstanceOf(InvalidInputException.class).hasMessageContaining("no region");
      assertThatThrownBy(() -> d.connect("ec2://127.0.0.1:1?region=r&credentialsEnv=K&cap=x").toCompletableFuture().join())
          .hasMessageContaining("unknown query parameter 'cap'");
      assertThatThrownBy(() -> d.connect("ec2://127.0.0.1:1?region=r&credentialsEnv=K").toCompletableFuture().join())
          .hasMessageContaining("'K' is not set");
    }
  }

  @Test
  void anUnreachableEndpointIsUnreachable() {
    try (Ec2HypervisorDriver d = new Ec2HypervisorDriver(Map.of("K", "id:secret")::get)) {
      // Port 1 on loopback: nothing listens, the connect is refused at once.
      assertThatThrownBy(() -> d.connect("ec2://127.0.0.1:1?region=r&protocol=http&credentialsEnv=K").toCompletableFuture().join())
          .hasMessageContaining("did not answer").hasMessageNotContaining("secret");
    }
  }
}
