package org.corral.drivers.guest.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;

/**
 * The QEMU guest agent's exec protocol, as pure functions: build {@code guest-exec} and
 * {@code guest-exec-status} requests, read the pid and the final status (exit code, base64
 * stdout/stderr). No I/O, so every branch is unit-tested.
 */
final class AgentProtocol {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentProtocol() {}

  /** Starts {@code argv[0]} with the rest as arguments, capturing output. No shell is involved. */
  static String execRequest(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty");
    }
    ObjectNode req = JSON.createObjectNode();
    req.put("execute", "guest-exec");
    ObjectNode args = req.putObject("arguments");
    args.put("path", argv.get(0));
    ArrayNode arg = args.putArray("arg");
    argv.subList(1, argv.size()).forEach(arg::add);
    args.put("capture-output", true);
    return req.toString();
  }

  /** {@code {"execute":"guest-ping"}}: the agent answers {@code {"return":{}}} when it is alive. */
  static String pingRequest() {
    ObjectNode req = JSON.createObjectNode();
    req.put("execute", "guest-ping");
    return req.toString();
  }

  /** Checks a guest-ping reply: an error (or no return) fails as for any other command. */
  static void pong(String reply) {
    result(reply);
  }

  static String statusRequest(long pid) {
    ObjectNode req = JSON.createObjectNode();
    req.put("execute", "guest-exec-status");
    req.putObject("arguments").put("pid", pid);
    return req.toString();
  }

  /** The pid from a guest-exec reply {@code {"return":{"pid":N}}}. */
  static long pid(String reply) {
    JsonNode pid = result(reply).path("pid");
    if (!pid.canConvertToLong()) {
      throw new DriverException(Kind.TRANSIENT, "guest agent: guest-exec reply has no pid: " + abbreviate(reply));
    }
    return pid.asLong();
  }

  /**
   * The result once the process exited, else empty. A process killed by a signal reports
   * 128 + signal, as a shell would.
   */
  static Optional<ExecResult> status(String reply) {
    JsonNode r = result(reply);
    if (!r.path("exited").asBoolean(false)) {
      return Optional.empty();
    }
    int code = r.has("exitcode") ? r.get("exitcode").asInt() : r.has("signal") ? 128 + r.get("signal").asInt() : -1;
    return Optional.of(new ExecResult(code, decode(r.path("out-data")), decode(r.path("err-data"))));
  }

  private static JsonNode result(String reply) {
    JsonNode root;
    try {
      root = JSON.readTree(reply);
    } catch (JsonProcessingException e) {
      throw new DriverException(Kind.TRANSIENT, "guest agent: reply is not JSON: " + abbreviate(reply), e);
    }
    if (root == null || !root.isObject()) {
      throw new DriverException(Kind.TRANSIENT, "guest agent: reply is not a JSON object: " + abbreviate(reply));
    }
    JsonNode error = root.get("error");
    if (error != null) {
      String cls = error.path("class").asText("Error");
      String desc = error.path("desc").asText("");
      throw new DriverException(Kind.REJECTED, "guest agent refused the command: " + cls + ": " + desc);
    }
    JsonNode ret = root.get("return");
    if (ret == null) {
      throw new DriverException(Kind.TRANSIENT, "guest agent: reply has neither return nor error: " + abbreviate(reply));
    }
    return ret;
  }

  private static String decode(JsonNode base64) {
    if (base64 == null || base64.isMissingNode() || base64.isNull()) {
      return "";
    }
    try {
      return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new DriverException(Kind.TRANSIENT, "guest agent: output is not base64", e);
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
