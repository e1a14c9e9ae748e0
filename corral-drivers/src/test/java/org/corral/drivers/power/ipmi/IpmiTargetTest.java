package org.corral.drivers.power.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpmiTargetTest {
  @Test
  void parsesTheDocumentedForms() {
    IpmiTarget t = IpmiTarget.parse("power.on", "ipmi://admin@10.0.0.11:623?interface=lan&passwordFile=/etc/corral/bmc.pass");
    assertThat(t).isEqualTo(new IpmiTarget("10.0.0.11", 623, "admin", IpmiInterface.LAN, null,
        new PasswordSource.File(Path.of("/etc/corral/bmc.pass"))));

    IpmiTarget d = IpmiTarget.parse("power.on", "ipmi://root@bmc1?passwordEnv=CORRAL_BMC_PASSWORD");
    assertThat(d.iface()).as("lanplus is the default").isEqualTo(IpmiInterface.LANPLUS);
    assertThat(d.port()).isEqualTo(623);
    assertThat(d.password()).isEqualTo(new PasswordSource.Env("CORRAL_BMC_PASSWORD"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "ipmi://admin@:623?passwordFile=/p                         | host",
      "ipmi://admin@10.0.0.11:99999?passwordFile=/p              | port",
      "ipmi://admin@10.0.0.11?interface=serial&passwordFile=/p   | unknown IPMI interface",
      "ipmi://admin@10.0.0.11?passwordFile=/p&passwordEnv=X      | both passwordFile and passwordEnv",
      "ipmi://admin@10.0.0.11                                    | no BMC password source",
      "ipmi://10.0.0.11?passwordFile=/p                          | no user",
      "ipmi://admin@10.0.0.11?passwordFile=relative.pass         | not an absolute path",
      "ipmi://admin@10.0.0.11?passwordEnv=not-a-name             | not an environment variable name",
      "ipmi://admin@10.0.0.11?password=hunter2                   | unknown query parameter 'password'",
      "wol://10.0.0.255                                          | not ipmi",
  })
  void badUrisNameTheFieldAndTheProblem(String uri, String problem) {
    assertThatThrownBy(() -> IpmiTarget.parse("power.on", uri))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("power.on"))
        .hasMessageContaining(problem);
  }
}
