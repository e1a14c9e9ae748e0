package org.corral.drivers.libvirt;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.HypervisorContract;
import org.corral.drivers.lab.QemuLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hypervisor contract that runs on {@code sim://} and {@code test:///}, on a real libvirtd
 * driving real QEMU (node1 of the lab): every domain is the lab's guest, a Debian kernel booted
 * directly with a qcow2 overlay on the lab's base image, so that an ACPI shutdown is answered by a
 * real guest. Skipped without the lab (lab/qemu-lab up).
 */
@Tag(QemuLab.TAG)
@ExtendWith(QemuLab.Required.class)
class QemuLabContractTest extends HypervisorContract {
  private static LibvirtDriver driver;
  private QemuLab lab;

  @Override
  protected HypervisorConnection connect() {
    lab = QemuLab.require();
    TestHosts.requireLibvirt();
    if (driver == null) {
      driver = TestHosts.driver();
    }
    for (String name : new String[] {"contract-a", "contract-b"}) {
      lab.resetConsole(1, name);
    }
    return TestHosts.await(driver.connect(lab.uri(1)));
  }

  @Override
  protected DomainSpec spec(String name) {
    return lab.guest(name, null);
  }

  @Override
  protected void awaitGuestReady(String name) {
    lab.awaitReady(1, name);
  }

  /** A real guest reboots by itself well within this: the reboot event, not the reset, ends the wait. */
  @Override
  protected Duration rebootTimeout() {
    return Duration.ofSeconds(60);
  }

  @Override
  protected void awaitUntil(String what, BooleanSupplier condition) {
    QemuLab.await(what, Duration.ofSeconds(120)).until(condition::getAsBoolean);
  }

  @AfterAll
  static void closeDriver() {
    if (driver != null) {
      driver.close();
      driver = null;
    }
  }
}
