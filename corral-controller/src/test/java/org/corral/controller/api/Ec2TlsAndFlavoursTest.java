package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.corral.controller.config.ConfigReader;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * ec2.tls (a PEM certificate and key, or a PKCS#12 key store) and corral.yaml's flavours, with the
 * AWS SDK trusting the test's own self-signed certificate and nothing else.
 */
class Ec2TlsAndFlavoursTest {
  @TempDir
  Path dir;

  private RunningCorral corral(String ec2Section, String flavours, Map<String, String> env) {
    String yaml = RunningCorral.LAB_YAML.replace("ec2: {listen: \"127.0.0.1:0\"}", "ec2: " + ec2Section) + flavours;
    return new RunningCorral(dir.resolve("home"), ConfigReader.parse(yaml, "test lab", env), d -> { });
  }

  private static Ec2Client https(RunningCorral corral, Path cert) throws Exception {
    ApiClient.Reply key = corral.api.post("/api/v1/keys", "");
    assertThat(key.status()).as(key.toString()).isEqualTo(201);
    javax.net.ssl.TrustManager[] trust = TlsTest.trustingOnly(cert);
    return Ec2Client.builder()
        .endpointOverride(URI.create("https://127.0.0.1:" + corral.runtime.ec2Port()))
        .region(Region.of("corral-1"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.json().get("id").asText(),
            key.json().get("secret").asText())))
        .httpClient(ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trust).build())
        .build();
  }

  @Test
  void pemTlsServesTheSdkAndTheConfiguredFlavoursAreTheInstanceTypes() throws Exception {
    Path cert = dir.resolve("ec2.crt");
    Path key = dir.resolve("ec2.key");
    TlsTest.selfSigned(cert, key);
    try (RunningCorral corral = corral("{listen: \"127.0.0.1:0\", tls: {certificate: \"" + cert + "\", key: \"" + key + "\"}}", """
        flavours:
          tiny: {cpus: 1, memoryMib: 256}
          t2.micro: {cpus: 1, memoryMib: 1024}
          wide: {cpus: 4, memoryMib: 2048}
        """, Map.of());
        Ec2Client ec2 = https(corral, cert)) {
      assertThat(ec2.describeInstanceTypes(b -> { }).instanceTypes()).extracting(InstanceTypeInfo::instanceTypeAsString,
          t -> t.vCpuInfo().defaultVCpus(), t -> t.memoryInfo().sizeInMiB())
          .containsExactly(org.assertj.core.groups.Tuple.tuple("tiny", 1, 256L), org.assertj.core.groups.Tuple.tuple("t2.micro", 1, 1024L),
              org.assertj.core.groups.Tuple.tuple("wide", 4, 2048L));
      String ami = ec2.describeImages().images().get(0).imageId();
      assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId(ami).instanceType("t2.nano").minCount(1).maxCount(1)))
          .isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
            assertThat(e.awsErrorDetails().errorMessage()).contains("t2.nano").contains("[tiny, t2.micro, wide]");
          });
      assertThatThrownBy(() -> ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings("m5.large")))
          .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceType"));
      Instance wide = ec2.runInstances(b -> b.imageId(ami).instanceType("wide").minCount(1).maxCount(1)).instances().get(0);
      assertThat(wide.instanceTypeAsString()).isEqualTo("wide");
      Instance dflt = ec2.runInstances(b -> b.imageId(ami).minCount(1).maxCount(1)).instances().get(0);
      assertThat(dflt.instanceTypeAsString()).as("no InstanceType: t2.micro, a flavour here").isEqualTo("t2.micro");
      String name = dflt.tags().stream().filter(t -> t.key().equals("corral:name")).findFirst().orElseThrow().value();
      assertThat(corral.vm(name).get("spec").get("memoryMib").asLong()).isEqualTo(1024);

      // HTTPS only: the same port does not answer plain HTTP.
      try (java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient()) {
        assertThatThrownBy(() -> plain.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + corral.runtime.ec2Port() + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(java.io.IOException.class);
      }
    }
  }

  @Test
  void aPkcs12KeyStoreWithItsPasswordFromTheEnvironmentServesTheSdk() throws Exception {
    Path cert = dir.resolve("ec2.crt");
    Path key = dir.resolve("ec2.key");
    Path p12 = dir.resolve("ec2.p12");
    TlsTest.selfSigned(cert, key);
    TlsTest.openssl("pkcs12", "-export", "-inkey", key.toString(), "-in", cert.toString(), "-out", p12.toString(),
        "-passout", "pass:s3cret-p12");
    String section = "{listen: \"127.0.0.1:0\", tls: {keystore: \"" + p12 + "\", passwordEnv: EC2_P12_PASSWORD}}";
    try (RunningCorral corral = corral(section, "", Map.of("EC2_P12_PASSWORD", "s3cret-p12"));
        Ec2Client ec2 = https(corral, cert)) {
      assertThat(ec2.describeRegions().regions()).singleElement().satisfies(r -> assertThat(r.regionName()).isEqualTo("corral-1"));
      assertThat(ec2.describeInstanceTypes(b -> { }).instanceTypes()).as("no flavours: the default table").hasSize(7);
    }
    assertThatThrownBy(() -> corral(section, "", Map.of("EC2_P12_PASSWORD", "wrong")).close())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("ec2.tls.keystore").hasMessageNotContaining("wrong");
  }

  @Test
  void badFlavoursAndTlsSectionsAreRefusedNamingTheField() {
    assertThat(ConfigReader.parse("{}", "t", Map.of()).ec2().flavours()).hasSize(7);
    for (String[] bad : new String[][] {
        {"flavours: {}", "flavours"},
        {"flavours: {small: {cpus: 0, memoryMib: 1024}}", "flavours.small.cpus"},
        {"flavours: {small: {cpus: 1}}", "flavours.small"},
        {"flavours: {small: {cpus: 1, memoryMib: 32}}", "flavours.small.memoryMib"},
        {"flavours: {small: {cpus: 1, memoryMib: 1024, disk: 3}}", "flavours.small.disk"},
        {"flavours: {\"bad name\": {cpus: 1, memoryMib: 1024}}", "flavours.bad name"},
        {"ec2: {tls: {certificate: a.crt}}", "ec2.tls"},
        {"ec2: {tls: {certificate: a.crt, key: a.key, keystore: a.p12}}", "ec2.tls.keystore"},
        {"ec2: {tls: {}}", "ec2.tls"}}) {
      assertThatThrownBy(() -> ConfigReader.parse(bad[0], "t", Map.of())).as(bad[0])
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).startsWith(bad[1]));
    }
  }
}
