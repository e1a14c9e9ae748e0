package org.corral.drivers.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {
  @Test
  void keepsTheFirstBytesAndSaysHowManyWereDropped() {
    BoundedOutput out = new BoundedOutput(4);
    out.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
    out.write("defg".getBytes(StandardCharsets.UTF_8), 0, 4);
    out.write('h');
    assertThat(out.text()).isEqualTo("abcd\n[corral: 4 more bytes of output dropped]");
  }

  @Test
  void underTheLimitIsUnchanged() {
    BoundedOutput out = new BoundedOutput(16);
    out.write("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
    assertThat(out.text()).isEqualTo("hello");
  }
}
