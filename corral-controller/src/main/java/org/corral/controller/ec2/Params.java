package org.corral.controller.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Query request's parameters, from the URL's query and a form-encoded body: {@code Action},
 * {@code Version}, and the action's own, lists numbered from 1 ({@code InstanceId.1},
 * {@code Filter.1.Value.2}).
 */
final class Params {
  /** Parameters one request may carry: far above any real one, a bound on what is kept. */
  static final int MAX = 2000;
  private final Map<String, String> values = new LinkedHashMap<>();

  static Params parse(@Nullable String query, @Nullable String form) {
    Params p = new Params();
    p.add(query);
    p.add(form);
    return p;
  }

  private void add(@Nullable String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      if (values.size() >= MAX) {
        throw new Ec2Exception("InvalidParameterValue", 400, "The request has more than " + MAX + " parameters");
      }
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (values.putIfAbsent(k, v) != null) {
          throw new Ec2Exception("InvalidParameterValue", 400, "The parameter " + k + " is given twice; give it once");
        }
      } catch (IllegalArgumentException e) {
        throw new Ec2Exception("MalformedQueryString", 400, "The parameters are not correctly percent-encoded near '"
            + (pair.length() > 40 ? pair.substring(0, 40) : pair) + "'");
      }
    }
  }

  @Nullable String one(String name) {
    return values.get(name);
  }

  String required(String name, String example) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      throw Ec2Exception.missing(name, example);
    }
    return v;
  }

  int integer(String name, int otherwise) {
    String v = values.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw Ec2Exception.invalid(name, "'" + v + "' is not a whole number");
    }
  }

  /** {@code prefix.1}, {@code prefix.2}, ... up to the first one missing. */
  List<String> list(String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 1; values.containsKey(prefix + "." + i); i++) {
      out.add(values.get(prefix + "." + i));
    }
    return out;
  }
}
