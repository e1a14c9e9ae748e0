package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.config.CorralConfig;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

/** guardian.spares: read, checked as names, and refused when a name is no host, before anything is added. */
class SparesConfigTest {
  @Test
  void sparesAreReadIntoTheGuardianAndTheScheduler() {
    CorralConfig c = ConfigReader.parse("guardian: {spares: [node16, big4]}", "t", Map.of());

    assertThat(c.controller().guardian().spares()).containsExactlyInAnyOrder("node16", "big4");
    assertThat(c.controller().scheduler().spares()).as("the scheduler keeps ordinary VMs off them").containsExactly("big4", "node16");
  }

  @Test
  void aBadOrRepeatedNameIsRefusedNamingItsPlaceInTheList() {
    assertThatThrownBy(() -> ConfigReader.parse("guardian: {spares: [node1, Node_2]}", "t", Map.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.spares[1]"));
    assertThatThrownBy(() -> ConfigReader.parse("guardian: {spares: [node1, node1]}", "t", Map.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.spares[1]"))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> ConfigReader.parse("guardian: {spares: node1}", "t", Map.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.spares"));
  }

  @Test
  void aSpareThatIsNoHostIsRefusedWithTheField() {
    assertThatThrownBy(() -> CorralRuntime.requireSpares(Set.of("node17"), Set.of("node01", "node16")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("guardian.spares"))
        .hasMessageContaining("'node17' is not a host").hasMessageContaining("corral.spare=true");
    assertThatCode(() -> CorralRuntime.requireSpares(Set.of("node16"), Set.of("node01", "node16"))).doesNotThrowAnyException();
  }
}
