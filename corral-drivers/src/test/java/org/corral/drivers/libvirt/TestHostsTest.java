package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.corral.drivers.DriverException;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A CI image without libvirt0 must fail the libvirt tests, not skip them. */
class TestHostsTest {
  private static final DriverException MISSING =
      new DriverException(DriverException.Kind.UNSUPPORTED, "the libvirt native library (libvirt.so.0) could not be loaded");

  @Test
  void onCiAMissingLibraryFailsWithThePackageToInstall() {
    assertThatThrownBy(() -> TestHosts.missing(MISSING, true))
        .isInstanceOf(AssertionError.class).hasMessageContaining("libvirt0").hasMessageContaining("libvirt.so.0");
  }

  @Test
  void elsewhereItSkipsWithTheReason() {
    assertThatThrownBy(() -> TestHosts.missing(MISSING, false))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("libvirt.so.0");
  }
}
