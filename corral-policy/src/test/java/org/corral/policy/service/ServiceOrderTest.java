package org.corral.policy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.corral.model.InvalidInputException;
import org.corral.model.vm.ServiceCheck;
import org.junit.jupiter.api.Test;

/** Start order, dependants restarted after a restart, and the errors of a VM's services. */
class ServiceOrderTest {
  private static ServiceCheck svc(String name, String... after) {
    return ServiceCheck.script(name, List.of("/etc/corral/checks/" + name), List.of(after));
  }

  private static List<String> names(List<ServiceCheck> l) {
    return l.stream().map(ServiceCheck::name).toList();
  }

  @Test
  void startsEachAfterWhatItNames() {
    ServiceOrder o = ServiceOrder.of("spec.services", List.of(svc("web", "app"), svc("app", "db"), svc("db"), svc("cron")));

    assertThat(names(o.startOrder())).containsExactly("db", "app", "web", "cron");
  }

  @Test
  void aRestartRestartsEveryDependantInStartOrder() {
    ServiceOrder o = ServiceOrder.of("spec.services",
        List.of(svc("db"), svc("cache"), svc("app", "db", "cache"), svc("web", "app"), svc("report", "db"), svc("cron")));

    assertThat(names(o.dependants("db"))).containsExactly("app", "web", "report");
    assertThat(names(o.dependants("cache"))).containsExactly("app", "web");
    assertThat(names(o.dependants("web"))).isEmpty();
    assertThat(names(o.dependants("cron"))).isEmpty();
  }

  @Test
  void aCycleIsRefusedNamingTheEntry() {
    assertThatThrownBy(() -> ServiceOrder.of("spec.services", List.of(svc("db"), svc("a", "b"), svc("b", "a"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("spec.services[1].after").hasMessageContaining("cycle among [a, b]");
  }

  @Test
  void anUnknownServiceIsRefusedWithTheNamesThereAre() {
    assertThatThrownBy(() -> ServiceOrder.of("spec.services", List.of(svc("db"), svc("app", "dbx"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("spec.services[1].after[0]").hasMessageContaining("[app, db]");
  }

  @Test
  void twoServicesOfOneNameAreRefused() {
    assertThatThrownBy(() -> ServiceOrder.of("spec.services", List.of(svc("db"), svc("db"))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("spec.services[1].name");
  }
}
