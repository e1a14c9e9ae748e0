package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import org.corral.model.host.Host;
import org.corral.model.plan.Action;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.vm.Vm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {
  private final ObjectMapper mapper = Json.mapper();

  static Class<?>[] actionKinds() {
    return Action.class.getPermittedSubclasses();
  }

  @ParameterizedTest
  @MethodSource("actionKinds")
  void everyKindOfActionRoundTripsWithItsKindNamed(Class<?> kind) throws Exception {
    Action action = Samples.sampleOf(kind, "k1");

    String json = mapper.writerFor(Action.class).writeValueAsString(action);

    assertThat(mapper.readTree(json).get(Json.ACTION_KIND).asText()).isEqualTo(kind.getSimpleName());
    assertThat(mapper.readValue(json, Action.class)).isEqualTo(action);
  }

  @Test
  void anActionInsideARecordKeepsItsKind() throws Exception {
    ActionRecord r = Samples.record(Samples.sampleOf(Action.StopVm.class, "k2"), ActionStatus.RUNNING, Samples.T0);

    String json = mapper.writeValueAsString(r);

    assertThat(mapper.readTree(json).at("/action/kind").asText()).isEqualTo("StopVm");
    assertThat(mapper.readValue(json, ActionRecord.class)).isEqualTo(r);
  }

  @Test
  void instantsAreIsoStringsExactToTheNanosecond() throws Exception {
    Vm vm = Samples.fullVm("web-1");

    JsonNode tree = mapper.valueToTree(vm);

    assertThat(tree.get("created").asText()).isEqualTo("2026-01-01T00:00:02.123456789Z");
    assertThat(mapper.treeToValue(tree, Vm.class)).isEqualTo(vm);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"0, MEDIUM", "1, HIGH", "1000, HIGH"})
  void aVmStoredWithANumericHaPriorityLoadsWithItsLevel(int priority, org.corral.model.vm.HaLevel level) throws Exception {
    Vm vm = Samples.fullVm("old-1");
    ObjectNode tree = mapper.valueToTree(vm);
    ObjectNode spec = (ObjectNode) tree.get("spec");
    spec.remove("ha");
    spec.put("haPriority", priority);

    Vm read = mapper.treeToValue(tree, Vm.class);

    assertThat(read.spec().ha()).as("a stored haPriority of %d reads as %s", priority, level).isEqualTo(level);
    assertThat(read).isEqualTo(new Vm(vm.name(), vm.uuid(), vm.spec().withHa(level), vm.owner(), vm.state(), vm.desired(),
        vm.host(), vm.migrationTarget(), vm.leases(), vm.stateReason(), vm.created(), vm.stateSince(), vm.version()));
  }

  @Test
  void aSpecWithoutHaGetsTheDefault() throws Exception {
    ObjectNode spec = mapper.valueToTree(Samples.fullVm("x").spec());
    spec.remove("ha");

    assertThat(mapper.treeToValue(spec, org.corral.model.vm.VmSpec.class).ha()).isEqualTo(org.corral.model.vm.HaLevel.DEFAULT);
  }

  @Test
  void unknownPropertiesAreIgnored() throws Exception {
    Host host = Samples.fullHost("node-1");
    var tree = (ObjectNode) mapper.valueToTree(host);
    tree.put("addedByANewerCorral", 1);

    assertThat(mapper.treeToValue(tree, Host.class)).isEqualTo(host);
  }

  @Test
  void eachCallGivesAnIndependentMapper() {
    ObjectMapper strict = Json.mapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    assertThat(strict).isNotSameAs(mapper);
    assertThat(mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();
  }

  @Test
  void onlyRecordComponentsAreWritten() {
    JsonNode tree = mapper.valueToTree(Samples.sampleOf(Action.PowerOnHost.class, "k3"));

    assertThat(Arrays.asList(tree.properties().stream().map(Map.Entry::getKey).toArray()))
        .containsExactlyInAnyOrder("kind", "key", "host", "cause");
  }
}
