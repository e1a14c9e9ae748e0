package org.corral.controller.ec2;

import org.jspecify.annotations.Nullable;

/** A small writer of EC2's response XML (2016-11-15 shapes): elements in order, text escaped. */
final class Ec2Xml {
  static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
  private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  /** Opens {@code <ActionResponse xmlns=...>} with its requestId. */
  static Ec2Xml response(String action, String requestId) {
    Ec2Xml x = new Ec2Xml();
    x.out.append('<').append(action).append("Response xmlns=\"").append(NS).append("\">");
    x.leaf("requestId", requestId);
    return x;
  }

  Ec2Xml open(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  Ec2Xml close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /** {@code <name>text</name>}; nothing when {@code text} is null. */
  Ec2Xml leaf(String name, @Nullable Object text) {
    if (text != null) {
      open(name);
      escape(text.toString());
      close(name);
    }
    return this;
  }

  String end(String action) {
    close(action + "Response");
    return out.toString();
  }

  /** EC2's error document. */
  static String error(String code, String message, String requestId) {
    Ec2Xml x = new Ec2Xml();
    x.open("Response").open("Errors").open("Error").leaf("Code", code).leaf("Message", message).close("Error").close("Errors")
        .leaf("RequestID", requestId).close("Response");
    return x.out.toString();
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out.append('\uFFFD'); // not allowed in XML 1.0, even as a reference
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
