package org.corral.controller.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.corral.controller.store.Json;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.InvalidInputException;
import org.corral.model.vm.ServiceCheck;
import org.corral.model.vm.VmSpec;
import org.junit.jupiter.api.Test;

/** Services declared with a VM: kept with its spec (and in the store's JSON), refused with the field and the fix. */
class ServiceDeclarationTest {
  private static final List<ServiceCheck> SERVICES = List.of(
      ServiceCheck.script("db", List.of("/etc/corral/checks/db"), List.of()),
      ServiceCheck.http("web", 8080, "/health", List.of("systemctl", "restart", "nginx"), List.of("db")));

  @Test
  void servicesAreKeptWithTheVm() throws Exception {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();

    lab.cmd().createVm(VmRequest.of("web1", 1, 512).withServices(SERVICES), "alice");

    assertThat(lab.vm("web1").spec().services()).isEqualTo(SERVICES);
    VmSpec spec = lab.vm("web1").spec();
    String json = Json.mapper().writeValueAsString(spec);
    assertThat(Json.mapper().readValue(json, VmSpec.class)).isEqualTo(spec);
  }

  @Test
  void aSpecStoredBeforeServicesReadsAsNone() throws Exception {
    VmSpec spec = VmSpec.of(1, 512);
    String json = Json.mapper().writeValueAsString(spec).replace(",\"services\":[]", "");

    assertThat(json).doesNotContain("services");
    assertThat(Json.mapper().readValue(json, VmSpec.class).services()).isEmpty();
  }

  @Test
  void badServicesAreRefusedNamingTheFieldAndChangeNothing() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();

    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("a", 1, 512)
        .withServices(List.of(ServiceCheck.tcp("ssh", 0, List.of(), List.of()))), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("services[0].port:");
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("b", 1, 512)
        .withServices(List.of(ServiceCheck.script("web", List.of("/c"), List.of("db")))), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("services[0].after[0]:");
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("c", 1, 512).withServices(List.of(
        ServiceCheck.script("x", List.of("/c"), List.of("y")), ServiceCheck.script("y", List.of("/c"), List.of("x")))), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("cycle");
    for (String name : List.of("a", "b", "c")) {
      assertThatThrownBy(() -> lab.vm(name)).as("VM %s was not created", name).isInstanceOf(RuntimeException.class);
    }
  }
}
