package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.junit.jupiter.api.Test;

/** Flag and parameter composition, checked against libvirt's virDomainMigrateFlags values. */
class MigrationRequestTest {
  private static final String DEST = "qemu+ssh://root@node2/system";

  @Test
  void flagValuesAreLibvirts() {
    assertThat(MigrationRequest.LIVE).isEqualTo(1);
    assertThat(MigrationRequest.PEER2PEER).isEqualTo(2);
    assertThat(MigrationRequest.PERSIST_DEST).isEqualTo(8);
    assertThat(MigrationRequest.UNDEFINE_SOURCE).isEqualTo(16);
    assertThat(MigrationRequest.AUTO_CONVERGE).isEqualTo(8192);
  }

  @Test
  void defaultIsLivePeerToPeerPersistentUndefinedAtSourceAndAutoConverging() {
    MigrationRequest r = MigrationRequest.of(DEST, MigrationOptions.DEFAULT);
    assertThat(r.flags()).isEqualTo(1 | 2 | 8 | 16 | 8192);
    assertThat(r.destinationUri()).isEqualTo(DEST);
    assertThat(r.bandwidthMibPerSec()).isZero();
    assertThat(r.has(MigrationRequest.TUNNELLED)).isFalse();
  }

  @Test
  void autoConvergeOnlyWhenAsked() {
    MigrationRequest r = MigrationRequest.of(DEST, new MigrationOptions(0, false, Duration.ofMinutes(1)));
    assertThat(r.has(MigrationRequest.AUTO_CONVERGE)).isFalse();
    assertThat(r.flags()).isEqualTo(1 | 2 | 8 | 16);
  }

  @Test
  void bandwidthIsPassedInMibPerSecond() {
    assertThat(MigrationRequest.of(DEST, new MigrationOptions(250, true, Duration.ofMinutes(1))).bandwidthMibPerSec())
        .isEqualTo(250);
    assertThatThrownBy(() -> MigrationRequest.of(DEST, new MigrationOptions(-1, true, Duration.ofMinutes(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bandwidthMibPerSec");
  }
}
