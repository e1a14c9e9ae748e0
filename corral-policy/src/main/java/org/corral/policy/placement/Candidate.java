package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import java.util.Map;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.policy.expr.CompiledExpression;

/**
 * A VM being placed, with what the pipeline needs at hand: its demand, its effective policy and
 * its compiled expressions (null when it has none).
 */
record Candidate(Vm vm, PlacementPolicy policy, @Nullable CompiledExpression requirements, @Nullable CompiledExpression rank) {
  String name() {
    return vm.name();
  }

  int cpus() {
    return vm.spec().cpus();
  }

  long memoryMib() {
    return vm.spec().memoryMib();
  }

  @Nullable String affinityGroup() {
    return vm.spec().affinityGroup();
  }

  @Nullable String antiAffinityGroup() {
    return vm.spec().antiAffinityGroup();
  }

  Map<String, String> labels() {
    return vm.spec().labels();
  }
}
