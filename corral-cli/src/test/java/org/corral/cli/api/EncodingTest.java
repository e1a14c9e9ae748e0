package org.corral.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodingTest {
  @Test
  void pathSegmentsArePercentEncoded() {
    assertThat(CorralApi.path("vms", "web1", "start")).isEqualTo("/vms/web1/start");
    assertThat(CorralApi.path("vms", "a b/c?d", "é")).isEqualTo("/vms/a%20b%2Fc%3Fd/%C3%A9");
  }

  @Test
  void queriesSkipNullValues() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("host", null);
    q.put("state", "RUNNING");
    q.put("subject", "a&b");

    assertThat(Encoding.query(q)).isEqualTo("?state=RUNNING&subject=a%26b");
    assertThat(Encoding.query(Map.of())).isEmpty();
  }

  @Test
  void theRootMayEndWithTheApiPrefixOrASlash() {
    try (CorralApi api = new CorralApi(" http://node:7070/api/v1/ ")) {
      assertThat(api.root()).isEqualTo("http://node:7070");
    }
  }

  @Test
  void aRootThatIsNotHttpIsRefused() {
    assertThatThrownBy(() -> new CorralApi("ftp://x")).isInstanceOf(SettingException.class).hasMessageContaining("'ftp://x'");
    assertThatThrownBy(() -> new CorralApi("http://[bad")).isInstanceOf(SettingException.class).hasMessageContaining("not a URL");
  }
}
