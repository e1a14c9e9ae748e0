package org.corral.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for the API in tests: real requests over loopback, JSON parsed with Jackson. */
final class ApiClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;
  /** Sent as a bearer token with every request; null sends none. */
  private final String token;

  /** A client with the token registered for {@code port} ({@link TestTokens}). */
  ApiClient(int port) {
    this(port, TestTokens.forPort(port));
  }

  ApiClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** One answer: status, content type and body (parsed as JSON when it is JSON). */
  record Reply(int status, String contentType, String text, java.net.http.HttpHeaders headers) {
    Reply(int status, String contentType, String text) {
      this(status, contentType, text, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
    }

    /** The first value of header {@code name}, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + " " + contentType + "): " + text, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + text;
    }
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Reply put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply patch(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri(String path) {
    return URI.create(base + path);
  }

  /** Sends {@code b} with this client's token; for requests that need other headers too. */
  Reply send(HttpRequest.Builder b) {
    try {
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The elements of a JSON array answer with status 200. */
  List<JsonNode> list(String path) {
    Reply r = get(path);
    if (r.status() != 200) {
      throw new AssertionError("GET " + path + " -> " + r);
    }
    List<JsonNode> out = new ArrayList<>();
    r.json().forEach(out::add);
    return out;
  }

  @Override
  public void close() {
    http.close();
  }
}
