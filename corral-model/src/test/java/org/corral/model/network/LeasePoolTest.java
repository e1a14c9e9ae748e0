package org.corral.model.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.corral.model.ConflictException;
import org.corral.model.InvalidInputException;
import org.corral.model.vm.NicLease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeasePoolTest {
  private static final Network NET = new Network("n", "br0", "10.1.2.0/29", "10.1.2.1", null, null, null);

  @Test
  void handsOutLowestFreeAddressesSkippingTheGatewayAndCountsMacsUp() {
    Set<String> ips = new HashSet<>();
    Set<String> macs = new HashSet<>();
    NicLease a = LeasePool.allocate(NET, ips, macs);
    assertThat(a.ip()).isEqualTo("10.1.2.2");
    assertThat(a.mac()).isEqualTo("52:54:00:01:00:00");
    ips.add(a.ip());
    macs.add(a.mac());
    NicLease b = LeasePool.allocate(NET, ips, macs);
    assertThat(b.ip()).isEqualTo("10.1.2.3");
    assertThat(b.mac()).isEqualTo("52:54:00:01:00:01");
  }

  @Test
  void exhaustedPoolIsAConflictThatSaysWhatToDo() {
    Set<String> ips = new HashSet<>(Set.of("10.1.2.2", "10.1.2.3", "10.1.2.4", "10.1.2.5", "10.1.2.6"));
    assertThatThrownBy(() -> LeasePool.allocate(NET, ips, Set.of())).isInstanceOf(ConflictException.class)
        .hasMessageContaining("no free IP").hasMessageContaining("widen the range");
  }

  @Property(tries = 60)
  void leasesAreUniqueUntilThePoolRunsOut(@ForAll @IntRange(min = 1, max = 300) int n) {
    Network net = new Network("n", "br0", "192.168.0.0/24", "192.168.0.1", null, null, null);
    Set<String> ips = new HashSet<>();
    Set<String> macs = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (i >= 253) {
        assertThatThrownBy(() -> LeasePool.allocate(net, ips, macs)).isInstanceOf(ConflictException.class);
        return;
      }
      NicLease l = LeasePool.allocate(net, ips, macs);
      assertThat(ips.add(l.ip())).isTrue();
      assertThat(macs.add(l.mac())).isTrue();
      assertThat(l.ip()).isNotEqualTo("192.168.0.1").isNotEqualTo("192.168.0.0").isNotEqualTo("192.168.0.255");
    }
  }

  @ParameterizedTest(name = "{0}={1} is rejected")
  @CsvSource(delimiter = '|', value = {"cidr|10.0.0.0", "cidr|10.0.0.0/33", "cidr|10.0.0.300/24", "gateway|10.9.9.9",
      "macStart|52:54:00:01:00", "macStart|zz:54:00:01:00:00",
      // Issue 26 item 7: accepted before.
      "cidr|10.0.0.5/24", "macStart|ff:ff:ff:ff:ff:ff", "macStart|01:00:5e:00:00:01", "macStart|00:00:00:00:00:00",
      "bridge|br0; rm -rf /", "bridge|net:", "bridge|a-bridge-name-too-long", "bridge|..", "bridge|br0\\n",
      "lastIp|10.0.0.9"})
  void badNetworksNameTheField(String field, String given) {
    String value = given.replace("\\n", "\n");
    assertThatThrownBy(() -> new Network("n", field.equals("bridge") ? value : "br0", field.equals("cidr") ? value : "10.0.0.0/24",
        field.equals("gateway") ? value : null, field.equals("lastIp") ? "10.0.0.10" : null, field.equals("lastIp") ? value : null,
        field.equals("macStart") ? value : null))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field.equals("lastIp") ? "firstIp" : field));
  }

  @Test
  void hostBitsAreRefusedWithTheNetworkAddressAsTheFix() {
    assertThatThrownBy(() -> new Network("n", "br0", "10.0.0.5/24", null, null, null, null))
        .hasMessage("cidr: 10.0.0.5/24 has host bits set; write the network address: 10.0.0.0/24");
  }

  @Test
  void bridgesAreInterfaceNamesOrLibvirtNetworks() {
    assertThat(new Network("n", "br-vlan.20", "10.0.0.0/24", null, null, null, null).bridge()).isEqualTo("br-vlan.20");
    assertThat(new Network("n", "net:default", "10.0.0.0/24", null, null, null, null).bridge()).isEqualTo("net:default");
  }

  @Test
  void overlapIsSharedAddresses() {
    Network a = new Network("a", "br0", "10.0.0.0/16", null, null, null, null);
    assertThat(a.overlaps(new Network("b", "br0", "10.0.5.0/24", null, null, null, null))).isTrue();
    assertThat(new Network("b", "br0", "10.0.5.0/24", null, null, null, null).overlaps(a)).isTrue();
    assertThat(a.overlaps(new Network("c", "br0", "10.1.0.0/24", null, null, null, null))).isFalse();
  }

  @Test
  void macsNeverRunIntoTheNextFirstOctet() {
    Network net = new Network("n", "br0", "10.0.0.0/24", null, null, null, "52:ff:ff:ff:ff:ff");
    assertThatThrownBy(() -> LeasePool.allocate(net, Set.of(), Set.of("52:ff:ff:ff:ff:ff")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("no free MAC");
  }
}
