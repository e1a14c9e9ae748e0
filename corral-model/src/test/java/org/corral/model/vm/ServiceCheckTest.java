package org.corral.model.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The four check kinds: their command contracts, and bad declarations named with their field and fix. */
class ServiceCheckTest {
  @Test
  void aScriptIsItsOwnCheckAndTakesTheVerbAsItsArgument() {
    ServiceCheck web = ServiceCheck.script("web", List.of("/etc/corral/checks/web"), List.of());

    assertThat(web.checkArgv()).containsExactly("/etc/corral/checks/web");
    assertThat(web.actionArgv("restart")).containsExactly("/etc/corral/checks/web", "restart");
    assertThat(web.actionArgv("start")).containsExactly("/etc/corral/checks/web", "start");
    assertThat(web.actionArgv("stop")).containsExactly("/etc/corral/checks/web", "stop");
    assertThat(web.restartable()).isTrue();
  }

  @Test
  void aNagiosPluginOrAPortIsRestartedOnlyByItsRestartCommand() {
    ServiceCheck disk = ServiceCheck.nagios("disk", List.of("/usr/lib/nagios/plugins/check_disk", "-w", "20%"),
        List.of("systemctl", "restart", "nginx"), List.of());
    ServiceCheck port = ServiceCheck.tcp("ssh", 22, List.of(), List.of());

    assertThat(disk.checkArgv()).containsExactly("/usr/lib/nagios/plugins/check_disk", "-w", "20%");
    assertThat(disk.actionArgv("restart")).containsExactly("systemctl", "restart", "nginx");
    assertThat(disk.actionArgv("stop")).isEmpty();
    assertThat(port.checkArgv()).isEmpty();
    assertThat(port.restartable()).isFalse();
    assertThat(ServiceCheck.http("api", 8080, "", List.of(), List.of()).path()).isEqualTo("/");
  }

  @Test
  void goodDeclarationsPass() {
    ServiceCheck.script("web", List.of("/c/web"), List.of("db")).validate("spec.services[0]");
    ServiceCheck.http("api", 8080, "/health", List.of("systemctl", "restart", "api"), List.of()).validate("spec.services[1]");
  }

  @Test
  void badDeclarationsNameTheFieldAndTheFix() {
    assertField(ServiceCheck.script("Bad Name!", List.of("/c"), List.of()), "spec.services[0].name");
    assertField(ServiceCheck.script("web", List.of(), List.of()), "spec.services[0].command");
    assertField(ServiceCheck.script("web", Arrays.asList("/c", null), List.of()), "spec.services[0].command[1]");
    assertField(ServiceCheck.script("web", List.of(" "), List.of()), "spec.services[0].command[0]");
    assertField(new ServiceCheck("web", ServiceCheck.Kind.SCRIPT, List.of("/c"), List.of("x"), 0, null, List.of()), "spec.services[0].restart");
    assertField(new ServiceCheck("web", ServiceCheck.Kind.SCRIPT, List.of("/c"), List.of(), 80, null, List.of()), "spec.services[0].port");
    assertField(ServiceCheck.tcp("ssh", 0, List.of(), List.of()), "spec.services[0].port");
    assertField(ServiceCheck.tcp("ssh", 70000, List.of(), List.of()), "spec.services[0].port");
    assertField(new ServiceCheck("ssh", ServiceCheck.Kind.TCP, List.of("/c"), List.of(), 22, null, List.of()), "spec.services[0].command");
    assertField(new ServiceCheck("ssh", ServiceCheck.Kind.TCP, List.of(), List.of(), 22, "/x", List.of()), "spec.services[0].path");
    assertField(ServiceCheck.http("api", 80, "health", List.of(), List.of()), "spec.services[0].path");
    assertField(ServiceCheck.script("web", List.of("/c"), List.of("web")), "spec.services[0].after[0]");
    assertField(ServiceCheck.script("web", List.of("/c", "a\0b"), List.of()), "spec.services[0].command[1]");
  }

  private static void assertField(ServiceCheck s, String field) {
    assertThatThrownBy(() -> s.validate("spec.services[0]")).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(field + ":").hasMessageContaining(";");
  }
}
