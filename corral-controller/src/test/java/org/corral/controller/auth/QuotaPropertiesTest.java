package org.corral.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.corral.controller.command.VmRequest;
import org.corral.controller.state.ControllerState;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.QuotaExceededException;
import org.corral.model.auth.Quota;
import org.corral.model.auth.Role;
import org.corral.model.auth.Usage;
import org.corral.model.auth.User;
import org.corral.model.vm.Vm;

/**
 * Quotas over random interleavings of single and bulk creations and deletions by users of one
 * group (each with a quota of their own, the group with one over both) and a user without a
 * quota, on virtual time: a request is admitted exactly when it fits every quota that applies,
 * a refused list creates nothing, no quota is ever exceeded, and the usage the state keeps as
 * VMs come and go equals a count over the VMs.
 */
class QuotaPropertiesTest {
  private static final Quota ALICE = new Quota(4L, 6L, 4096L, null);
  private static final Quota BOB = new Quota(3L, null, null, null);
  private static final Quota TEAM = new Quota(6L, 9L, null, null);

  @Property(tries = 30, seed = "20261204")
  void aRequestIsAdmittedExactlyWhenItFitsAndNoQuotaIsEverExceeded(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT, LabHarness.fastSettings());
    lab.startWithInventory();
    Accounts accounts = lab.controller.accounts();
    ControllerState state = lab.controller.state();
    Principal admin = new Principal("root", Role.ADMIN, null, "root", null);
    accounts.createUser(new Accounts.UserRequest("alice", "developer", "team", null), admin);
    accounts.createUser(new Accounts.UserRequest("bob", "developer", "team", null), admin);
    accounts.createUser(new Accounts.UserRequest("carol", "developer", null, null), admin);
    accounts.setQuota("alice", ALICE, admin);
    accounts.setQuota("bob", BOB, admin);
    accounts.setGroupQuota("team", TEAM, admin);
    List<String> owners = List.of("alice", "bob", "carol");
    int made = 0;
    for (int step = 0; step < 30; step++) {
      if (random.nextInt(4) == 0 && !state.vms().isEmpty()) {
        List<Vm> all = new ArrayList<>(state.vms());
        Vm v = all.get(random.nextInt(all.size()));
        try {
          lab.cmd().deleteVm(v.name(), v.owner());
        } catch (org.corral.model.ConflictException busy) {
          // an action in flight (a deploy): it is deleted on a later step, or not at all
        }
        lab.run(Duration.ofSeconds(random.nextInt(3)));
        continue;
      }
      String owner = owners.get(random.nextInt(owners.size()));
      int n = 1 + random.nextInt(3);
      List<VmRequest> reqs = new ArrayList<>();
      Usage asked = Usage.NONE;
      for (int i = 0; i < n; i++) {
        VmRequest r = VmRequest.of("q" + made++, 1 + random.nextInt(2), 256L * (1 + random.nextInt(4)));
        reqs.add(r);
        asked = asked.plus(new Usage(1, r.cpus(), r.memoryMib(), 0));
      }
      boolean fits = fits(state, owner, asked);
      int before = state.vms().size();
      boolean admitted;
      try {
        if (n == 1) {
          lab.cmd().createVm(reqs.get(0), owner);
        } else {
          lab.cmd().createVms(reqs, owner);
        }
        admitted = true;
      } catch (QuotaExceededException e) {
        admitted = false;
        assertThat(state.vms()).as("a refused request creates nothing").hasSize(before);
        assertThat(e.getMessage()).contains("quota exceeded").contains("corral user set-quota");
      }
      assertThat(admitted).as("step %d: %s asks for %s; fits: %s", step, owner, asked, fits).isEqualTo(fits);
      lab.run(Duration.ofMillis(random.nextInt(2000)));
      Map<String, Usage> counted = counted(state);
      for (String o : owners) {
        assertThat(state.usage(o)).as("usage kept for " + o).isEqualTo(counted.getOrDefault(o, Usage.NONE));
      }
      assertThat(ALICE.excesses(counted.getOrDefault("alice", Usage.NONE), Usage.NONE)).isEmpty();
      assertThat(within(ALICE, counted.getOrDefault("alice", Usage.NONE))).isTrue();
      assertThat(within(BOB, counted.getOrDefault("bob", Usage.NONE))).isTrue();
      assertThat(within(TEAM, counted.getOrDefault("alice", Usage.NONE).plus(counted.getOrDefault("bob", Usage.NONE)))).isTrue();
    }
  }

  /** The oracle: what admission should decide, from a count over the VMs. */
  private static boolean fits(ControllerState state, String owner, Usage asked) {
    Map<String, Usage> counted = counted(state);
    User u = state.user(owner).orElseThrow();
    if (!within(u.quota(), counted.getOrDefault(owner, Usage.NONE).plus(asked))) {
      return false;
    }
    if (u.group() == null) {
      return true;
    }
    Usage group = asked;
    for (User m : state.users()) {
      if (u.group().equals(m.group())) {
        group = group.plus(counted.getOrDefault(m.name(), Usage.NONE));
      }
    }
    return within(TEAM, group);
  }

  private static boolean within(Quota q, Usage u) {
    return (q.vms() == null || u.vms() <= q.vms()) && (q.cpus() == null || u.cpus() <= q.cpus())
        && (q.memoryMib() == null || u.memoryMib() <= q.memoryMib()) && (q.diskGib() == null || u.diskGib() <= q.diskGib());
  }

  private static Map<String, Usage> counted(ControllerState state) {
    Map<String, Usage> out = new HashMap<>();
    for (Vm v : state.vms()) {
      out.merge(v.owner(), new Usage(1, v.spec().cpus(), v.spec().memoryMib(), 0), Usage::plus);
    }
    return out;
  }
}
