package org.corral.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Requests generated from openapi.json, for {@link ApiFuzzTest}: for every documented operation,
 * its path parameters, query parameters and body are drawn from the operation's own schemas as
 * valid values, near-valid ones (one field mutated: wrong type, null, out of range, huge, missing,
 * unknown) and hostile ones (broken JSON, deep nesting, bad UTF-8, raw bytes in the path), with
 * now and then a wrong method, media type or Origin.
 */
final class FuzzRequests {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Names the lab and config of ApiFuzzTest define, so that valid requests reach existing objects. */
  private static final List<String> KNOWN = List.of("f01", "f02", "f03", "net1", "img1", "vm1", "vm2");

  /** One request as it goes on the wire; {@code path} is already percent-encoded (or deliberately not). */
  record Request(String method, String path, String contentType, String origin, byte[] body, String what) {
    @Override
    public String toString() {
      String b = new String(body, StandardCharsets.UTF_8);
      return method + " " + (path.length() > 300 ? path.substring(0, 300) + "…" : path) + " [" + contentType
          + (origin == null ? "" : ", Origin " + origin) + "] " + what + " " + (b.length() > 300 ? b.substring(0, 300) + "…" : b);
    }
  }

  record Operation(String method, String template, List<JsonNode> parameters, JsonNode bodySchema) {}

  private final JsonNode doc;
  private final List<Operation> operations = new ArrayList<>();

  FuzzRequests() {
    try (InputStream in = ApiServer.class.getResourceAsStream("/org/corral/controller/api/openapi.json")) {
      doc = ApiClient.JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext();) {
      Map.Entry<String, JsonNode> p = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext();) {
        Map.Entry<String, JsonNode> op = ops.next();
        List<JsonNode> params = new ArrayList<>();
        op.getValue().path("parameters").forEach(params::add);
        JsonNode body = op.getValue().path("requestBody").path("content").path("application/json").path("schema");
        operations.add(new Operation(op.getKey().toUpperCase(java.util.Locale.ROOT), p.getKey(), params,
            body.isMissingNode() ? null : body));
      }
    }
  }

  List<Operation> operations() {
    return operations;
  }

  Arbitrary<Request> requests() {
    // Routes that take a body have the most input to get wrong: they are drawn four times as often.
    List<net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<Request>>> weighted = new ArrayList<>();
    for (Operation op : operations) {
      weighted.add(net.jqwik.api.Tuple.of(op.bodySchema() == null ? 1 : 4, Arbitraries.just(op).flatMap(this::request)));
    }
    return Arbitraries.frequencyOf(weighted.toArray(net.jqwik.api.Tuple.Tuple2[]::new));
  }

  private Arbitrary<Request> request(Operation op) {
    Arbitrary<String> method = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(12, Arbitraries.just(op.method())),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")));
    Arbitrary<String> contentType = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(14, Arbitraries.just("application/json")),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("text/plain", "application/x-www-form-urlencoded", "",
            "application/json; charset=iso-8859-1", "application/json; charset=UTF-8", "APPLICATION/JSON")));
    Arbitrary<String> origin = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.just((String) null)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("http://evil.example", "null", "http://127.0.0.1")));
    Arbitrary<Body> body = op.bodySchema() == null ? noBody() : body(op.bodySchema());
    return Combinators.combine(method, path(op), query(op), contentType, origin, body)
        .as((m, p, q, ct, o, b) -> new Request(m, p + q, ct, o, b.bytes(), b.what()));
  }

  // ---- paths and queries ----

  private Arbitrary<String> path(Operation op) {
    Arbitrary<String> result = Arbitraries.just("");
    for (String part : op.template().split("(?=\\{)|(?<=})")) {
      Arbitrary<String> next = part.startsWith("{") ? segment(part.equals("{key}")) : Arbitraries.just(part);
      result = result.flatMap(prefix -> next.map(s -> prefix + s));
    }
    return result;
  }

  private static Arbitrary<String> segment(boolean actionKey) {
    Arbitrary<String> valid = actionKey
        ? Arbitraries.of("deploy/vm1/1", "migrate/vm1/3", "power-on/f01/2", "nosuch")
        : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.of(KNOWN)), net.jqwik.api.Tuple.of(2, dnsLabel()));
    Arbitrary<String> hostile = Arbitraries.oneOf(
        Arbitraries.of("..", "%2e%2e", "%00", "a%00b", "%", "%zz", "%ff%fe", "a%2Fb", "%20", "~", "*", ";x=1", "a b".replace(" ", "%20"),
            "%C3%A9t%C3%A9", "%F0%9F%92%A5", "%E2%80%AE", "x".repeat(70), "x".repeat(9000), "-", "A", "%0d%0aX-Evil:%201"),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(80).map(FuzzRequests::encodeSegment));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, valid), net.jqwik.api.Tuple.of(3, hostile));
  }

  private Arbitrary<String> query(Operation op) {
    List<JsonNode> declared = op.parameters().stream().filter(p -> "query".equals(p.path("in").asText())).toList();
    List<Arbitrary<String>> parts = new ArrayList<>();
    for (JsonNode p : declared) {
      String name = p.get("name").asText();
      Arbitrary<String> value = p.path("schema").path("type").asText().equals("integer")
          ? Arbitraries.oneOf(Arbitraries.longs().between(0, 50).map(String::valueOf),
              Arbitraries.of("-1", "abc", "1.5", "99999999999999999999", "", "%00", "0x10", "+3", " 1"))
          : Arbitraries.oneOf(Arbitraries.of(KNOWN), Arbitraries.of("RUNNING", "running", "QUEUED", "SLEEPING", "", "%ZZ", "%00"),
              Arbitraries.strings().ofMaxLength(30).map(FuzzRequests::encodeSegment));
      parts.add(Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just("")),
          net.jqwik.api.Tuple.of(1, value.map(v -> name + "=" + v))));
    }
    parts.add(Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, Arbitraries.just("")),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("offset=-1", "limit=-5", "colour=red", "after=1&after=2", "=", "&&", "a=%zz", "%00=1"))));
    Arbitrary<String> query = Arbitraries.just("");
    for (Arbitrary<String> part : parts) {
      query = query.flatMap(q -> part.map(s -> s.isEmpty() ? q : q.isEmpty() ? s : q + "&" + s));
    }
    return query.map(q -> q.isEmpty() ? "" : "?" + q);
  }

  private static String encodeSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- bodies ----

  record Body(byte[] bytes, String what) {
    static Body of(JsonNode json, String what) {
      return new Body(json.toString().getBytes(StandardCharsets.UTF_8), what);
    }

    static Body text(String s, String what) {
      return new Body(s.getBytes(StandardCharsets.UTF_8), what);
    }
  }

  private static Arbitrary<Body> noBody() {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(Body.text("", "no body"))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(Body.text("{}", "empty object"), Body.text("{\"x\": 1}", "unknown field"))),
        net.jqwik.api.Tuple.of(1, hostileBody()));
  }

  private Arbitrary<Body> body(JsonNode schema) {
    Arbitrary<JsonNode> valid = value(schema, "");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, valid.map(v -> Body.of(v, "valid"))),
        net.jqwik.api.Tuple.of(4, valid.flatMap(this::mutate)),
        net.jqwik.api.Tuple.of(2, hostileBody()));
  }

  /** A value that satisfies {@code schema}; property names pick realistic strings (names, URIs, addresses). */
  private Arbitrary<JsonNode> value(JsonNode schema, String property) {
    JsonNode s = resolve(schema);
    if (s.has("enum")) {
      List<JsonNode> values = new ArrayList<>();
      s.get("enum").forEach(values::add);
      return Arbitraries.of(values);
    }
    if (s.has("oneOf")) {
      List<Arbitrary<JsonNode>> choices = new ArrayList<>();
      s.get("oneOf").forEach(c -> choices.add(value(c, property)));
      return Arbitraries.oneOf(choices);
    }
    return switch (s.path("type").asText("object")) {
      case "object" -> object(s);
      case "array" -> {
        int min = s.path("minItems").asInt(0);
        int max = Math.min(s.path("maxItems").asInt(3), Math.max(min, 3));
        yield value(s.path("items"), property).list().ofMinSize(min).ofMaxSize(max).map(items -> {
          ArrayNode a = NODES.arrayNode();
          items.forEach(a::add);
          return (JsonNode) a;
        });
      }
      case "integer" -> Arbitraries.longs().between(s.path("minimum").asLong(0), Math.min(s.path("maximum").asLong(64), 64))
          .map(n -> (JsonNode) NODES.numberNode(n));
      case "number" -> Arbitraries.doubles().between(s.path("minimum").asDouble(0), s.path("maximum").asDouble(1))
          .map(n -> (JsonNode) NODES.numberNode(n));
      case "boolean" -> Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b));
      default -> string(property).map(t -> (JsonNode) NODES.textNode(t));
    };
  }

  private Arbitrary<JsonNode> object(JsonNode s) {
    JsonNode props = s.path("properties");
    List<String> required = new ArrayList<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    Arbitrary<ObjectNode> out = Arbitraries.just(NODES.objectNode()).map(ObjectNode::deepCopy);
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> p = it.next();
      Arbitrary<JsonNode> v = value(p.getValue(), p.getKey());
      Arbitrary<JsonNode> maybe = required.contains(p.getKey()) ? v
          : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just((JsonNode) null)), net.jqwik.api.Tuple.of(1, v));
      out = out.flatMap(o -> maybe.map(x -> {
        ObjectNode copy = o.deepCopy();
        if (x != null) {
          copy.set(p.getKey(), x);
        }
        return copy;
      }));
    }
    if (s.path("additionalProperties").isObject()) {
      JsonNode valueSchema = s.get("additionalProperties");
      out = out.flatMap(o -> Arbitraries.maps(Arbitraries.of("rack", "zone", "tier", "corral.dev/x", "k1"), string("label"))
          .ofMaxSize(3).map(m -> {
            ObjectNode copy = o.deepCopy();
            m.forEach((k, v) -> copy.put(k, valueSchema.path("type").asText().equals("string") ? v : "x"));
            return copy;
          }));
    }
    return out.map(o -> (JsonNode) o);
  }

  private static Arbitrary<String> string(String property) {
    return switch (property) {
      case "name", "image", "network", "affinityGroup", "antiAffinityGroup" ->
          Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.of(KNOWN)), net.jqwik.api.Tuple.of(2, dnsLabel()));
      case "to" -> Arbitraries.of("f01", "f02", "f03", "nosuch");
      case "uri" -> Arbitraries.of("sim://fz/f01", "sim://fz/f09", "sim://fz/" , "test:///default", "nosuch://x", "sim:/");
      case "on", "off" -> Arbitraries.of("sim://fz/f01", "sim://fz/f02", "wol://10.255.255.255", "ipmi://admin@127.0.0.1?passwordFile=/x",
          "ssh://root@127.0.0.1", "sim://");
      case "mac" -> Arbitraries.of("52:54:00:12:34:56", "aa-bb-cc-dd-ee-ff");
      case "cidr" -> Arbitraries.integers().between(30, 250).map(n -> "10." + n + ".0.0/24");
      case "gateway", "firstIp", "lastIp" -> Arbitraries.integers().between(1, 254).map(n -> "10.40.0." + n);
      case "macStart" -> Arbitraries.of("52:54:00:01:00:00", "52:54:00:aa:00:00", "02:00:00:00:00:01");
      case "bridge" -> Arbitraries.of("br0", "br1", "virbr0", "net:default");
      case "pool" -> Arbitraries.of("default", "shared");
      case "volume" -> Arbitraries.of("debian-12.qcow2", "x.raw");
      case "requirements" -> Arbitraries.of("true", "host.cores > 2", "host.labels[\"rack\"] == \"r1\"", "host.", "1 +", "vm.cpus");
      case "rank" -> Arbitraries.of("host.free.memoryMib", "-host.vms", "\"x\"");
      case "userData" -> Arbitraries.of("#cloud-config\n", "#!/bin/sh\necho é\n");
      default -> Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
    };
  }

  private static Arbitrary<String> dnsLabel() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(10).map(s -> "z" + s);
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode s = schema;
    while (s.has("$ref")) {
      String[] parts = s.get("$ref").asText().substring(2).split("/");
      JsonNode n = doc;
      for (String part : parts) {
        n = n.get(part);
      }
      s = n;
    }
    return s;
  }

  /** One or two fields of a valid body made wrong. */
  private Arbitrary<Body> mutate(JsonNode valid) {
    return mutateOnce(Body.of(valid, ""), valid).flatMap(once -> Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(once)),
        net.jqwik.api.Tuple.of(1, mutateOnce(once, readTree(once.bytes())))));
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return ApiClient.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Arbitrary<Body> mutateOnce(Body before, JsonNode valid) {
    List<String> paths = new ArrayList<>();
    collect(valid, "", paths);
    if (paths.isEmpty()) {
      return Arbitraries.of(Body.text("{\"unknown\": 1}", "unknown field"), Body.text("[]", "array"));
    }
    Arbitrary<JsonNode> bad = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(NODES.nullNode())),
        net.jqwik.api.Tuple.of(20, badValue()));
    return Combinators.combine(Arbitraries.of(paths), bad, Arbitraries.of("set", "set", "remove", "add")).as((path, value, how) -> {
      JsonNode copy = valid.deepCopy();
      String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
      String last = path.substring(path.lastIndexOf('/') + 1);
      JsonNode target = parent.isEmpty() ? copy : copy.at(parent);
      if (target instanceof ObjectNode o) {
        switch (how) {
          case "set" -> o.set(last, value);
          case "remove" -> o.remove(last);
          default -> o.set("unknown" + last, value);
        }
      } else if (target instanceof ArrayNode a && !a.isEmpty()) {
        a.set(Math.min(a.size() - 1, Integer.parseInt(last)), value);
      }
      return Body.of(copy, (before.what().isEmpty() ? "" : before.what() + ", ") + how + " " + path);
    });
  }

  private static Arbitrary<JsonNode> badValue() {
    return Arbitraries.of(NODES.textNode("2"), NODES.textNode(""), NODES.numberNode(-1),
        NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(1.5), NODES.numberNode(1e308),
        NODES.numberNode(2147483648L), NODES.booleanNode(true), NODES.arrayNode().add(NODES.nullNode()), NODES.objectNode(),
        NODES.textNode("x".repeat(100_000)), NODES.textNode("名前é\u0000\u202e"), NODES.textNode("../../etc/passwd"),
        NODES.textNode("qemu+ssh://root:secretpw@10.0.0.99/system"), NODES.textNode("ff:ff:ff:ff:ff:ff"),
        NODES.textNode("10.0.0.5/24"), NODES.textNode("br0; rm -rf /"), NODES.textNode("net:"));
  }

  private static void collect(JsonNode n, String at, List<String> out) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> {
        out.add(at + "/" + e.getKey());
        collect(e.getValue(), at + "/" + e.getKey(), out);
      });
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        out.add(at + "/" + i);
        collect(n.get(i), at + "/" + i, out);
      }
    }
  }

  private static Arbitrary<Body> hostileBody() {
    return Arbitraries.oneOf(
        Arbitraries.of(Body.text("null", "null"), Body.text("[]", "array"), Body.text("\"text\"", "string"), Body.text("42", "number"),
            Body.text("{", "truncated"), Body.text("{\"name\": ", "truncated value"), Body.text("{\"a\":1}{\"b\":2}", "two values"),
            Body.text("[".repeat(5000) + "]".repeat(5000), "deep array"), Body.text("{\"a\":".repeat(200) + "1" + "}".repeat(200), "deep object"),
            Body.text("1".repeat(5000), "long number"), Body.text("{\"cpus\": 1e999999}", "huge exponent"),
            Body.text("{\"name\": \"\\ud800\"}", "lone surrogate"), Body.text("\uFEFF{}", "byte order mark"),
            Body.text("{\"name\": \"a\", \"name\": \"b\"}", "duplicate key"), Body.text("name=x&cpus=1", "form"),
            new Body(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "invalid UTF-8"),
            new Body(new byte[] {0, 1, 2, (byte) 0xff}, "binary")),
        Arbitraries.strings().ofMaxLength(200).map(s -> Body.text(s, "random text")));
  }
}
