package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.corral.drivers.libvirt.TestHosts.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.hypervisor.MigrationProgress;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test driver cannot migrate: a migration must fail cleanly and leave the domain running where
 * it was. Real migration between KVM hosts is verified by hand (docs/real-hosts.md).
 */
class LibvirtMigrationTest {
  private TestHosts.TwoHosts hosts;
  private LibvirtConnection a;
  private LibvirtConnection b;

  @BeforeEach
  void open() {
    hosts = TestHosts.TwoHosts.open();
    a = hosts.a;
    b = hosts.b;
  }

  @AfterEach
  void close() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void migrationOnTheTestDriverFailsCleanlyAndTheDomainStaysRunningAtTheSource() {
    List<MigrationProgress> progress = new CopyOnWriteArrayList<>();
    var options = new MigrationOptions(100, true, Duration.ofSeconds(30));
    assertThatThrownBy(() -> await(a.migrate("legacy-web", b, options, progress::add)))
        .isInstanceOfSatisfying(DriverException.class, e -> {
          assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.UNSUPPORTED);
          assertThat(e.getMessage()).contains("legacy-web").contains("host-a.xml");
        });
    assertThat(await(a.domain("legacy-web")).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
    assertThat(await(b.domain("legacy-web"))).isEmpty();
    assertThat(a.isAlive()).as("a refused migration is not a lost connection").isTrue();
  }

  @Test
  void migratingAStoppedDomainIsRejected() {
    assertThatThrownBy(() -> await(a.migrate("legacy-db", b, MigrationOptions.DEFAULT, p -> {})))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.REJECTED));
  }

  @Test
  void migratingAMissingDomainIsNotFound() {
    assertThatThrownBy(() -> await(a.migrate("ghost", b, MigrationOptions.DEFAULT, p -> {})))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.NOT_FOUND));
  }

  @Test
  void negativeBandwidthIsInvalidInput() {
    var options = new MigrationOptions(-5, false, Duration.ofSeconds(30));
    assertThatThrownBy(() -> await(a.migrate("legacy-web", b, options, p -> {})))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("options.bandwidthMibPerSec"));
  }
}
