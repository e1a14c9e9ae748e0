package org.corral.controller.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signature Version 4 against AWS's published test suite ("get-vanilla"), and the checks around it. */
class SigV4Test {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  static SigV4.Request vanilla(String authorization) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("example.amazonaws.com"));
    headers.put("X-Amz-Date", List.of("20150830T123600Z"));
    headers.put("Authorization", List.of(authorization));
    return new SigV4.Request("GET", "/", null, headers, new byte[0]);
  }

  @Test
  void signsAwsTestSuiteGetVanillaAsAwsDoes() {
    SigV4.Request r = vanilla("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
        + " SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    SigV4.Credential c = SigV4.credential(r);
    assertThat(c.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(SigV4.canonicalRequest(r, c.signedHeaders())).isEqualTo("""
        GET
        /

        host:example.amazonaws.com
        x-amz-date:20150830T123600Z

        host;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
    assertThat(SigV4.signature(r, c, "20150830T123600Z", SECRET)).isEqualTo(c.signature());
  }

  @Test
  void refusesWrongSecretSkewedClockWrongRegionAndMissingSignature() {
    Instant at = Instant.parse("2015-08-30T12:36:00Z");
    String header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/corral-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=";
    SigV4.Request probe = vanilla(header + "0".repeat(64));
    String good = SigV4.signature(probe, SigV4.credential(probe), "20150830T123600Z", SECRET);
    SigV4.Request r = vanilla(header + good);
    SigV4.Credential c = SigV4.credential(r);
    SigV4.verify(r, c, SECRET, "corral-1", at.plusSeconds(899));
    assertThatThrownBy(() -> SigV4.verify(r, c, SECRET + "x", "corral-1", at))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.code()).isEqualTo("AuthFailure"));
    assertThatThrownBy(() -> SigV4.verify(r, c, SECRET, "corral-1", at.plusSeconds(901)))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.code()).isEqualTo("RequestExpired"));
    assertThatThrownBy(() -> SigV4.verify(r, c, SECRET, "corral-1", at.minusSeconds(901)))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.code()).isEqualTo("RequestExpired"));
    assertThatThrownBy(() -> SigV4.verify(r, c, SECRET, "eu-west-1", at))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.text()).contains("region 'eu-west-1'"));
    Map<String, List<String>> none = Map.of("Host", List.of("x"));
    assertThatThrownBy(() -> SigV4.credential(new SigV4.Request("GET", "/", "Action=DescribeRegions", none, new byte[0])))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.code()).isEqualTo("MissingAuthenticationToken"));
    assertThatThrownBy(() -> SigV4.credential(vanilla("AWS AKIDEXAMPLE:c2lnbmF0dXJl")))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.code()).isEqualTo("IncompleteSignature"));
  }

  @Test
  void canonicalQuerySortsAndEncodesAsAwsDoes() {
    Map<String, List<String>> headers = Map.of("Host", List.of("h"));
    SigV4.Request r = new SigV4.Request("GET", "/", "b=2&a=x%20y&a=%2F", headers, "".getBytes(StandardCharsets.UTF_8));
    assertThat(SigV4.canonicalRequest(r, List.of("host")).split("\n")[2]).isEqualTo("a=%2F&a=x%20y&b=2");
  }
}
