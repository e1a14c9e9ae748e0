package org.corral.drivers.power.wol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WakeOnLanDriver sending real UDP datagrams to a listener on 127.0.0.1. */
class WakeOnLanDriverTest {
  private final WakeOnLanDriver driver = new WakeOnLanDriver();
  private DatagramSocket listener;

  @BeforeEach
  void listen() throws Exception {
    listener = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    listener.setSoTimeout(5_000); // bounds receive() if a packet never comes
  }

  @AfterEach
  void close() {
    listener.close();
    driver.close();
  }

  private List<byte[]> receive(int n) throws Exception {
    List<byte[]> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      listener.receive(p);
      got.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }
    return got;
  }

  @Test
  void sendsTheExactMagicPacket() throws Exception {
    String uri = "wol://127.0.0.1:" + listener.getLocalPort();
    driver.powerOn(new PowerTarget("node1", uri, "52-54-00-ab-cd-ef")).toCompletableFuture().join();

    byte[] expected = HexFormat.of().parseHex("ffffffffffff" + "525400abcdef".repeat(16));
    assertThat(receive(1)).singleElement().isEqualTo(expected);
  }

  @Test
  void repeatsWhenAsked() throws Exception {
    String uri = "wol://127.0.0.1:" + listener.getLocalPort() + "?repeat=3";
    driver.powerOn(new PowerTarget("node1", uri, "52:54:00:ab:cd:ef")).toCompletableFuture().join();
    assertThat(receive(3)).hasSize(3).allSatisfy(p -> assertThat(p).hasSize(102));
  }

  @Test
  void powerOffIsUnsupportedAndPointsToSsh() {
    var stage = driver.powerOff(new PowerTarget("node1", "wol://192.168.1.255", "52:54:00:ab:cd:ef"), false);
    assertThatThrownBy(() -> stage.toCompletableFuture().join()).isInstanceOf(CompletionException.class)
        .satisfies(e -> {
          DriverException d = DriverException.of(e);
          assertThat(d.kind()).isEqualTo(Kind.UNSUPPORTED);
          assertThat(d.getMessage()).contains("ssh://").contains("PowerSpec.off");
        });
    assertThat(DriverException.of(catchJoin(driver.cycle(new PowerTarget("node1", "wol://x", null)))).kind())
        .isEqualTo(Kind.UNSUPPORTED);
  }

  @Test
  void statusIsUnknown() {
    assertThat(driver.status(new PowerTarget("node1", "wol://192.168.1.255", null)).toCompletableFuture().join())
        .isEqualTo(PowerStatus.UNKNOWN);
  }

  @Test
  void powerIsNotMeasured() {
    var r = driver.powerReading(new PowerTarget("node1", "wol://192.168.1.255", null)).toCompletableFuture().join();
    assertThat(r).isEqualTo(new org.corral.drivers.power.PowerReading.NotReported("wol power control does not measure power"));
  }

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "wol://127.0.0.1:9           | 52:54:00:ab:cd   | power.mac",
      "wol://127.0.0.1:9           |                  | power.mac",
      "wol://127.0.0.1:70000       | 52:54:00:ab:cd:ef | power.on",
      "wol://127.0.0.1?repeat=0    | 52:54:00:ab:cd:ef | power.on",
      "wol://127.0.0.1?repeats=2   | 52:54:00:ab:cd:ef | power.on",
      "wol:///nohost               | 52:54:00:ab:cd:ef | power.on",
  })
  void badInputFailsTheStageNamingTheField(String uri, String mac, String field) {
    Throwable t = catchJoin(driver.powerOn(new PowerTarget("node1", uri, mac)));
    assertThat(t).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  private static Throwable catchJoin(java.util.concurrent.CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
      throw new AssertionError("expected failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
