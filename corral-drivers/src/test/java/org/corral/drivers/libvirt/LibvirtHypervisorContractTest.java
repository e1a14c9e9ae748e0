package org.corral.drivers.libvirt;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.HypervisorContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The shared hypervisor contract (HypervisorContract, copied from the sim branch) against libvirt's
 * real test driver: each test gets a fresh host-b from its node file. Waits are bounded Awaitility
 * polls because libvirt runs in real time.
 */
class LibvirtHypervisorContractTest extends HypervisorContract {
  private static LibvirtDriver driver;

  @Override
  protected HypervisorConnection connect() {
    TestHosts.requireLibvirt();
    if (driver == null) {
      driver = TestHosts.driver();
    }
    return TestHosts.connect(driver, "host-b.xml");
  }

  @Override
  protected void awaitUntil(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
  }

  @AfterAll
  static void closeDriver() {
    if (driver != null) {
      driver.close();
      driver = null;
    }
  }
}
