package org.corral.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Each formula against a case computed by hand. */
class LedgerTest {
  @Test
  void slatahPoolsViolationTimeOverActiveTimeOfAllHosts() {
    Ledger l = new Ledger(2, 0);
    // host 0: active 0-10 without violation, 10-30 violating (A < R), then inactive
    l.host(0, 0, 100, 100);
    l.host(0, 10, 50, 80);
    l.host(0, 30, 0, 0);
    // host 1: active 0-20 violating; its last entry adds nothing
    l.host(1, 0, 10, 20);
    l.host(1, 20, 10, 20);
    l.close();
    // violation 20 + 20 = 40 s over active 30 + 20 = 50 s
    assertThat(l.slatah()).isCloseTo(40.0 / 50, within(1e-12));
  }

  @Test
  void anEntryAtTheSameInstantReplacesTheLastOne() {
    Ledger l = new Ledger(1, 0);
    l.host(0, 0, 10, 20); // replaced: would have been violating
    l.host(0, 0, 20, 20);
    l.host(0, 10, 20, 20);
    l.close();
    assertThat(l.slatah()).isZero();
  }

  @Test
  void pdmPoolsDegradationDuringMigrationOverAllRequestedWork() {
    Ledger l = new Ledger(0, 2);
    // VM 0: 0-10 normal (r 100, a 100), 10-20 migrating (r 100, a 90), then gone
    l.vm(0, 0, 100, 100, false);
    l.vm(0, 10, 90, 100, true);
    l.vm(0, 20, 100, 100, false);
    // VM 1: 0-10 under-served but not migrating: counts in the denominator only
    l.vm(1, 0, 40, 50, false);
    l.vm(1, 10, 50, 50, false);
    l.close();
    // degradation (100 - 90) × 10 = 100; requested 100×10 + 100×10 + 50×10 = 2500
    assertThat(l.pdm()).isCloseTo(100.0 / 2500, within(1e-12));
  }

  @Test
  void shutdownsCountActiveToInactiveWithTheTimeSinceTheHostBecameActive() {
    Ledger l = new Ledger(2, 0);
    // host 0: inactive at its first entry (counts: the state before is active), time 300 - 0
    l.host(0, 300, 0, 0);
    l.host(0, 600, 50, 50); // active since 600
    l.host(0, 1500, 0, 0);  // shutdown after 900 s
    // host 1: always active
    l.host(1, 300, 10, 10);
    l.host(1, 600, 10, 10);
    l.close();
    assertThat(l.shutdowns()).isEqualTo(2);
    assertThat(l.meanTimeBeforeShutdown()).isCloseTo((300.0 + 900) / 2, within(1e-9));
  }

  @Test
  void energyIsKeptPerHostAndInTotal() {
    Ledger l = new Ledger(2, 0);
    l.energy(0, 10);
    l.energy(1, 5);
    l.totalEnergy(15);
    assertThat(l.hostJoules(0) + l.hostJoules(1)).isEqualTo(l.joules());
  }
}
