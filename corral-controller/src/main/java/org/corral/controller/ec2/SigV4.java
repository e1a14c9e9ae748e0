package org.corral.controller.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * AWS Signature Version 4 (HMAC-SHA256), as the AWS SDKs and CLI sign a request in the
 * {@code Authorization} header: canonical request, string to sign, a signing key derived from the
 * secret for the day, region and service. Pure: {@link #verify} is given the request and the
 * secret and either returns or throws the error a client should see.
 */
public final class SigV4 {
  /** How far a request's X-Amz-Date may be from the controller's clock, either way (as AWS). */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  private static final Pattern AUTH = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
          + "SignedHeaders=([a-z0-9\\-;.]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");

  private SigV4() {}

  /** A request as it came: the header names in any case, the query and path still percent-encoded. */
  public record Request(String method, String rawPath, @Nullable String rawQuery, Map<String, List<String>> headers, byte[] body) {
    @Nullable String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** The Authorization header's parts. */
  public record Credential(String accessKeyId, String date, String region, String service, List<String> signedHeaders, String signature) {
    String scope() {
      return date + "/" + region + "/" + service + "/aws4_request";
    }
  }

  /** The credential a request names, or an error saying what is missing or malformed. */
  public static Credential credential(Request r) {
    String auth = r.header("Authorization");
    if (auth == null || auth.isBlank()) {
      if (r.rawQuery() != null && r.rawQuery().contains("X-Amz-Signature=")) {
        throw new Ec2Exception("AuthFailure", 401, "Signatures in the query string (presigned URLs) are not supported;"
            + " sign the request in the Authorization header, as the AWS SDKs and CLI do");
      }
      throw new Ec2Exception("MissingAuthenticationToken", 401, "The request must be signed with AWS Signature Version 4:"
          + " configure the AWS client with an access key from `corral keys create`");
    }
    Matcher m = AUTH.matcher(auth.strip());
    if (!m.matches()) {
      throw new Ec2Exception("IncompleteSignature", 400, "The Authorization header is not AWS4-HMAC-SHA256"
          + " Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...; only Signature Version 4 is accepted");
    }
    return new Credential(m.group(1), m.group(2), m.group(3), m.group(4), List.of(m.group(5).split(";")), m.group(6));
  }

  /**
   * Checks that {@code r} was signed with {@code secret} for {@code region} and service ec2, within
   * {@link #MAX_SKEW} of {@code now}.
   *
   * @throws Ec2Exception AuthFailure (bad signature, wrong scope), RequestExpired (clock skew)
   */
  public static void verify(Request r, Credential c, String secret, String region, Instant now) {
    String amzDate = r.header("X-Amz-Date");
    if (amzDate == null) {
      throw new Ec2Exception("AuthFailure", 401, "The request has no X-Amz-Date header; AWS clients send one with every signed request");
    }
    Instant at;
    try {
      at = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new Ec2Exception("AuthFailure", 401, "X-Amz-Date '" + amzDate + "' is not of the form 20261204T120000Z");
    }
    if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new Ec2Exception("RequestExpired", 400, "Request has expired: it was signed at " + at + " and the server's time is " + now
          + "; requests are accepted for " + MAX_SKEW.toMinutes() + " minutes either way (check the client's clock)");
    }
    if (!amzDate.startsWith(c.date())) {
      throw new Ec2Exception("AuthFailure", 401, "The credential's date " + c.date() + " is not the day of X-Amz-Date " + amzDate);
    }
    if (!c.service().equals("ec2")) {
      throw new Ec2Exception("AuthFailure", 401, "The credential is scoped to service '" + c.service() + "'; this endpoint is ec2");
    }
    if (!c.region().equals(region)) {
      throw new Ec2Exception("AuthFailure", 401, "The credential is scoped to region '" + c.region() + "'; this endpoint is region '"
          + region + "' (e.g. aws --region " + region + ", or Region.of(\"" + region + "\") in an SDK)");
    }
    if (!c.signedHeaders().contains("host")) {
      throw new Ec2Exception("AuthFailure", 401, "The signature must cover the Host header (SignedHeaders lacks host)");
    }
    String expected = signature(r, c, amzDate, secret);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), c.signature().getBytes(StandardCharsets.US_ASCII))) {
      throw new Ec2Exception("AuthFailure", 401, "AWS was not able to validate the provided access credentials: the signature does not"
          + " match (a wrong secret for access key " + c.accessKeyId() + ", or a request changed after signing)");
    }
  }

  /** The hex signature of {@code r} under {@code secret}. */
  static String signature(Request r, Credential c, String amzDate, String secret) {
    String canonical = canonicalRequest(r, c.signedHeaders());
    String toSign = ALGORITHM + "\n" + amzDate + "\n" + c.scope() + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), c.date());
    key = hmac(key, c.region());
    key = hmac(key, c.service());
    key = hmac(key, "aws4_request");
    return hex(hmac(key, toSign));
  }

  static String canonicalRequest(Request r, List<String> signedHeaders) {
    StringBuilder headers = new StringBuilder();
    for (String name : signedHeaders) {
      List<String> values = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          for (String v : e.getValue()) {
            values.add(v.strip().replaceAll("\\s+", " "));
          }
        }
      }
      headers.append(name).append(':').append(String.join(",", values)).append('\n');
    }
    String payload = r.header("X-Amz-Content-Sha256");
    if (payload == null || payload.startsWith("UNSIGNED") || payload.startsWith("STREAMING")) {
      payload = hex(sha256(r.body()));
    }
    return r.method() + "\n" + canonicalPath(r.rawPath()) + "\n" + canonicalQuery(r.rawQuery()) + "\n" + headers + "\n"
        + String.join(";", signedHeaders) + "\n" + payload;
  }

  /** Each segment decoded then encoded once more, as AWS's services other than S3 sign the path. */
  private static String canonicalPath(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    String[] segments = rawPath.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        out.append('/');
      }
      out.append(encode(encode(URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8))));
    }
    return out.toString();
  }

  private static String canonicalQuery(@Nullable String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      sorted.computeIfAbsent(encode(k), x -> new ArrayList<>()).add(encode(v));
    }
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, vs) -> vs.stream().sorted().forEach(v -> parts.add(k + "=" + v)));
    return String.join("&", parts);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%20"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 percent-encoding of everything but unreserved characters, as SigV4 asks. */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char ch = (char) (b & 0xff);
      if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
        out.append(ch);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java has HmacSHA256", e);
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
