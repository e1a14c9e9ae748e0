package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.controller.api.RunningCorral.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.config.CorralConfig;
import org.corral.drivers.ec2.Ec2HypervisorDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Hybrid cloud: a Corral whose host list holds one small lab host and an {@code ec2://} host that
 * is a second Corral's EC2 endpoint on loopback. VMs go to the cloud only when the local host is
 * full, with the smallest capped instance type; the caps bound what runs there; deleting a VM
 * terminates its instance.
 */
class HybridCloudTest {
  @TempDir
  static Path cloudHome;
  @TempDir
  static Path localHome;
  static RunningCorral cloud;
  static RunningCorral local;
  static Ec2Client cloudView;

  @BeforeAll
  static void start() throws Exception {
    cloud = new RunningCorral(cloudHome);
    JsonNode key = cloud.api.post("/api/v1/keys", "{\"description\": \"hybrid\"}").json();
    String id = key.get("id").asText();
    String secret = key.get("secret").asText();
    Path credentials = cloudHome.resolve("ec2-credentials");
    Files.writeString(credentials, "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n");
    int port = cloud.runtime.ec2Port();
    String yaml = """
        controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms, utilisationWindow: 2}
        api: {listen: "127.0.0.1:0"}
        lab:
          name: l
          stateFile: false
          latencies: {define: 0s, boot: 100ms, shutdown: 100ms, migrationBase: 100ms, migrationMibPerSecond: 100000,
                      powerOn: 100ms, powerOff: 100ms}
          hosts:
            - {prefix: l, count: 1, cores: 2, mhz: 2400, memoryMib: 2048, idleWatts: 50, maxWatts: 150}
        hosts:
          - {name: cloud, uri: "ec2://127.0.0.1:PORT?region=corral-1&protocol=http&caps=t2.small:2&credentialsFile=FILE",
             labels: {cloud: ec2, placement: last-resort}}
        networks:
          - {name: net1, bridge: br0, cidr: 10.10.0.0/24, gateway: 10.10.0.1}
        images:
          - {name: img1, pool: default, volume: img1.qcow2, format: qcow2, sizeGib: 2, shared: true}
        """.replace("PORT", String.valueOf(port)).replace("FILE", credentials.toString());
    CorralConfig cfg = ConfigReader.parse(yaml, "hybrid", Map.of());
    local = new RunningCorral(localHome, cfg, d -> d.hypervisor(new Ec2HypervisorDriver()));
    cloudView = Ec2Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.of("corral-1"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
        .httpClient(ApacheHttpClient.create()).build();
  }

  @AfterAll
  static void stop() {
    if (cloudView != null) {
      cloudView.close();
    }
    if (local != null) {
      local.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  static String vm(String name, int memoryMib) {
    return "{\"name\": \"" + name + "\", \"cpus\": 1, \"memoryMib\": " + memoryMib + ", \"disks\": [{\"image\": \"img1\"}],"
        + " \"nics\": [{\"network\": \"net1\"}]}";
  }

  /** Corral's instances at the cloud that are not terminated, by the domain name they were tagged with. */
  static Map<String, Instance> instances() {
    Map<String, Instance> out = new java.util.TreeMap<>();
    cloudView.describeInstances().reservations().forEach(r -> r.instances().forEach(i -> {
      if (i.state().name() != InstanceStateName.TERMINATED && i.state().name() != InstanceStateName.SHUTTING_DOWN) {
        i.tags().stream().filter(t -> t.key().equals("corral-domain")).map(Tag::value).findFirst().ifPresent(n -> out.put(n, i));
      }
    }));
    return out;
  }

  @Test
  void burstsToTheCloudWhenLocalIsFullWithinCapsAndTerminatesOnDelete() {
    eventually().alias("the ec2 host is UP").until(() -> "UP".equals(local.host("cloud").get("state").asText()));
    JsonNode host = local.host("cloud");
    assertThat(host.toString()).as("two t2.small (1 vCPU, 2048 MiB) are the cloud's capacity").contains("4096");

    assertThat(local.api.post("/api/v1/vms", vm("v1", 1536)).status()).isEqualTo(201);
    assertThat(local.untilVmState("v1", "RUNNING").get("host").asText()).as("local first").isEqualTo("l01");

    for (String n : List.of("v2", "v3")) {
      assertThat(local.api.post("/api/v1/vms", vm(n, 1536)).status()).isEqualTo(201);
      assertThat(local.untilVmState(n, "RUNNING").get("host").asText()).as(n + " bursts to the cloud").isEqualTo("cloud");
    }
    Map<String, Instance> running = instances();
    assertThat(running.keySet()).containsExactlyInAnyOrder("v2", "v3");
    assertThat(running.values()).extracting(Instance::instanceTypeAsString).containsOnly("t2.small");

    // The caps are full: a fourth VM waits rather than exceeding them.
    assertThat(local.api.post("/api/v1/vms", vm("v4", 1536)).status()).isEqualTo(201);
    eventually().during(java.time.Duration.ofSeconds(1)).atMost(java.time.Duration.ofSeconds(20))
        .until(() -> local.vm("v4").get("state").asText(), s -> s.equals("PENDING"));
    assertThat(instances()).hasSize(2);

    // Deleting a VM terminates its instance, and the freed slot takes the waiting VM.
    assertThat(local.api.delete("/api/v1/vms/v2").status()).isBetween(200, 204);
    eventually().alias("v2's instance terminated").until(() -> !instances().containsKey("v2"));
    assertThat(local.untilVmState("v4", "RUNNING").get("host").asText()).isEqualTo("cloud");
    assertThat(instances().keySet()).containsExactlyInAnyOrder("v3", "v4");
  }
}
