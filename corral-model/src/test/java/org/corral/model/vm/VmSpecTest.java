package org.corral.model.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  @Test
  void nullDisksAndNicsAreNamedNotAnNpe() {
    // Issue 26 item 4: "disks": [null] reached a NullPointerException in the constructor (a 500).
    assertField(VmSpec.of(1, 512).withDisks(Arrays.asList((DiskSpec) null)), "spec.disks[0]");
    assertField(VmSpec.of(1, 512).withNics(Arrays.asList(new NicSpec("net1"), null)), "spec.nics[1]");
  }

  @Test
  void sizesAndCountsAreBoundedPerField() {
    List<DiskSpec> disks = Collections.nCopies(VmSpec.MAX_DISKS + 1, new DiskSpec("img", 0));
    assertField(VmSpec.of(1, 512).withDisks(disks), "spec.disks");
    assertThat(VmSpec.of(1, 512).withDisks(disks.subList(0, VmSpec.MAX_DISKS)).validate()).isNotNull();
    assertField(VmSpec.of(1, 512).withNics(Collections.nCopies(VmSpec.MAX_NICS + 1, new NicSpec("n"))), "spec.nics");
    assertField(VmSpec.of(1, 512).withDisks(List.of(new DiskSpec("img", Long.MAX_VALUE))), "spec.disks[0].sizeGib");
    assertField(withUserData("x".repeat(VmSpec.MAX_USER_DATA_BYTES + 1)), "spec.userData");
    // Bytes, not characters: 40,000 two-byte characters are 80,000 bytes.
    assertField(withUserData("é".repeat(40_000)), "spec.userData");
    assertThat(withUserData("x".repeat(VmSpec.MAX_USER_DATA_BYTES)).validate()).isNotNull();
    assertField(VmSpec.of(1, 512).withRequirements("true || ".repeat(1000) + "true"), "spec.requirements");
  }

  @Test
  void labelsFollowKubernetesRules() {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 60_000; i++) {
      many.put("k" + i, "v");
    }
    assertField(withLabels(many), "spec.labels");
    assertField(withLabels(Map.of("k".repeat(10_000), "v")), "spec.labels");
    assertField(withLabels(Map.of("zone", "a b")), "spec.labels.zone");
    assertField(withLabels(Map.of("zone", "v".repeat(64))), "spec.labels.zone");
    assertThat(withLabels(Map.of("corral.dev/zone", "eu-1", "tier", "", "a_b.c", "X-9")).validate()).isNotNull();
    assertThatThrownBy(() -> withLabels(Map.of("k".repeat(10_000), "v")).validate())
        .hasMessageContaining("(10000 characters)").satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
  }

  private static VmSpec withUserData(String userData) {
    return new VmSpec(1, 512, null, null, null, null, null, null, null, null, userData, null);
  }

  private static VmSpec withLabels(Map<String, String> labels) {
    return new VmSpec(1, 512, null, null, null, null, null, null, null, null, null, labels);
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
