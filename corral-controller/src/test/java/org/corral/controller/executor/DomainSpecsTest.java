package org.corral.controller.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.host.LockManager;
import org.corral.model.host.PowerSpec;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/** The domain as each host defines it: a sanlock lease per disk on hosts that run sanlock, none elsewhere. */
class DomainSpecsTest {
  @Test
  void aHostRunningSanlockGetsALeasePerDiskTheSameOnEveryHost() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.start(new org.corral.controller.store.InMemoryStore());
    lab.addInventory(h -> new HostRequest(h.name(), h.uri(), h.capacity(), Map.of(), new PowerSpec(h.uri(), null, null), null,
        h.name().equals("node01") ? LockManager.parse("lockManager", "sanlock", "/srv/leases") : LockManager.NONE));
    lab.cmd().createVm(new VmRequest("a", 1, 1024L, java.util.List.of(new org.corral.model.vm.DiskSpec("debian12", 10)), null, null, null, null, null, null, null, null, null, null, null), "t");
    lab.untilVm("a", VmState.RUNNING, Duration.ofMinutes(1));
    Vm a = lab.vm("a");
    assertThat(lab.host("node01").lockManager().kind()).isEqualTo(LockManager.Kind.SANLOCK);

    DomainSpec onSanlock = DomainSpecs.of(a, "node01", lab.controller.state());
    DomainSpec elsewhere = DomainSpecs.of(a, "node02", lab.controller.state());

    assertThat(onSanlock.leases()).containsExactly(
        new DomainSpec.Lease("corral", a.uuid() + "-vda", "/srv/leases/" + a.uuid() + "-vda", 0));
    assertThat(elsewhere.leases()).isEmpty();
    assertThat(lab.host("node01").lockManager().kind()).isEqualTo(LockManager.Kind.SANLOCK);
  }
}
