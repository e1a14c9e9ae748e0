package org.corral.controller.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a database password out of messages: masks it in JDBC URLs ({@code password=...},
 * {@code //user:secret@host}) and in any text a driver hands back, and tells whether an
 * exception's messages would reveal it.
 */
final class Redaction {
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)([^&;]*)");
  private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@]*:)([^@/]*)@");
  /** Shorter secrets are not scrubbed from free text: masking every "a" would garble the message. */
  private static final int MIN_SCRUBBED = 3;

  private final String rawUrl;
  private final String url;
  private final List<String> secrets = new ArrayList<>();

  Redaction(String rawUrl, @Nullable String password) {
    this.rawUrl = rawUrl == null ? "" : rawUrl;
    addSecret(password);
    Matcher m = URL_PASSWORD.matcher(this.rawUrl);
    while (m.find()) {
      addSecret(m.group(2));
    }
    Matcher u = URL_USERINFO.matcher(this.rawUrl);
    while (u.find()) {
      addSecret(u.group(2));
    }
    this.url = URL_USERINFO.matcher(URL_PASSWORD.matcher(this.rawUrl).replaceAll("$1***")).replaceAll("$1***@");
  }

  private void addSecret(@Nullable String s) {
    if (s != null && s.length() >= MIN_SCRUBBED) {
      secrets.add(s);
    }
  }

  /** The URL with any password masked, fit for messages and logs. */
  String url() {
    return url;
  }

  /** {@code text} with the raw URL replaced by the masked one and every secret masked. */
  String scrub(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String out = rawUrl.isEmpty() ? text : text.replace(rawUrl, url);
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return out;
  }

  /** {@code t} when no message in its cause chain mentions a secret, else null (drop it rather than leak). */
  @Nullable Throwable safeCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      for (String s : secrets) {
        if (m.contains(s)) {
          return null;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return t;
  }
}
