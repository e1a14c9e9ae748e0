package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.cli.Bodies.json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NetworkImageCommandsTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void networkListCreateDelete() {
    api.on("GET", "/networks", 200, Fixtures.NETWORKS);
    api.on("POST", "/networks", 201, Fixtures.NETWORKS.strip().substring(1, Fixtures.NETWORKS.strip().length() - 1));
    api.on("DELETE", "/networks/default", 204, null);

    Run list = Run.corral(api, "network", "list");
    assertThat(list.out()).isEqualTo("""
        NAME     BRIDGE  CIDR         GATEWAY   RANGE                 MAC START
        default  br0     10.0.0.0/24  10.0.0.1  10.0.0.10-10.0.0.250  52:54:00:01:00:00
        """);
    assertThat(json(Run.corral(api, "network", "list", "-o", "json").out())).isEqualTo(json(Fixtures.NETWORKS));

    Run create = Run.corral(api, "network", "create", "default", "--bridge", "br0", "--cidr", "10.0.0.0/24",
        "--gateway", "10.0.0.1", "--first-ip", "10.0.0.10", "--last-ip", "10.0.0.250", "--mac-start", "52:54:00:01:00:00");
    assertThat(create.code()).as(create.err()).isZero();
    assertThat(create.out()).isEqualTo("network default created\n");
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "default", "bridge": "br0", "cidr": "10.0.0.0/24", "gateway": "10.0.0.1",
         "firstIp": "10.0.0.10", "lastIp": "10.0.0.250", "macStart": "52:54:00:01:00:00"}
        """));

    Run minimal = Run.corral(api, "network", "create", "lab", "--bridge", "virbr0", "--cidr", "192.168.122.0/24");
    assertThat(minimal.code()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("{\"name\": \"lab\", \"bridge\": \"virbr0\", \"cidr\": \"192.168.122.0/24\"}"));

    Run delete = Run.corral(api, "network", "delete", "default");
    assertThat(delete.out()).isEqualTo("network default deleted\n");
    assertThat(api.last().method()).isEqualTo("DELETE");
    assertThat(api.last().path()).isEqualTo("/networks/default");
  }

  @Test
  void imageListCreateDelete() {
    api.on("GET", "/images", 200, Fixtures.IMAGES);
    api.on("POST", "/images", 201, "{\"name\": \"debian12\", \"pool\": \"default\", \"volume\": \"debian-12.qcow2\", \"format\": \"qcow2\", \"sizeGib\": 8, \"shared\": true}");
    api.on("DELETE", "/images/alpine", 204, null);

    assertThat(Run.corral(api, "image", "list").out()).isEqualTo("""
        NAME      POOL     VOLUME           FORMAT  SIZE   SHARED
        debian12  default  debian-12.qcow2  qcow2   8 GiB  yes
        alpine    local    alpine.raw       raw     1 GiB  no
        """);

    Run create = Run.corral(api, "image", "create", "debian12", "--pool", "default", "--volume", "debian-12.qcow2",
        "--format", "qcow2", "--size", "8", "--shared", "-o", "json");
    assertThat(create.code()).as(create.err()).isZero();
    assertThat(json(create.out()).get("name").asText()).isEqualTo("debian12");
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "debian12", "pool": "default", "volume": "debian-12.qcow2", "format": "qcow2", "sizeGib": 8, "shared": true}
        """));

    Run raw = Run.corral(api, "image", "create", "alpine", "--pool", "local", "--volume", "alpine.raw", "--format", "RAW", "--size", "1");
    assertThat(raw.code()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "alpine", "pool": "local", "volume": "alpine.raw", "format": "raw", "sizeGib": 1, "shared": false}
        """));

    assertThat(Run.corral(api, "image", "delete", "alpine").out()).isEqualTo("image alpine deleted\n");
    assertThat(api.last().path()).isEqualTo("/images/alpine");
  }
}
