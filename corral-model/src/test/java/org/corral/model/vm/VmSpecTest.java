package org.corral.model.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class VmSpecTest {
  @Test
  void badSpecsNameTheFieldAndTheFix() {
    assertField(VmSpec.of(0, 512), "spec.cpus");
    assertField(VmSpec.of(-1, 512), "spec.cpus");
    assertField(VmSpec.of(1, 0), "spec.memoryMib");
    assertField(VmSpec.of(1, -5), "spec.memoryMib");
    assertField(VmSpec.of(1, 512).withPolicy(PlacementPolicy.CUSTOM, null), "spec.rank");
    assertField(VmSpec.of(1, 512).withPolicy(PlacementPolicy.PACKING, "host.vms"), "spec.rank");
    assertField(VmSpec.of(1, 512).withGroups("Bad Group", null), "spec.affinityGroup");
    assertField(VmSpec.of(1, 512).withDisks(List.of(new DiskSpec("img", -1))), "spec.disks[0].sizeGib");
    assertField(VmSpec.of(1, 512).withNics(List.of(new NicSpec(""))), "spec.nics[0].network");
  }

  private static void assertField(VmSpec spec, String field) {
    assertThatThrownBy(spec::validate).isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
  }

  @Test
  void blankExpressionsAreAbsent() {
    VmSpec s = VmSpec.of(1, 512).withRequirements("  ");
    assertThat(s.requirements()).isNull();
    assertThat(s.validate()).isSameAs(s);
  }
}
