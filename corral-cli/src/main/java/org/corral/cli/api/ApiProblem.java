package org.corral.cli.api;

import org.jspecify.annotations.Nullable;

/**
 * An {@code application/problem+json} error body as docs/api.md defines it.
 *
 * @param type   the problem type URI, e.g. {@code https://corral.dev/problems/invalid-input}
 * @param status the HTTP status
 * @param detail a sentence for people (what was wrong and how to fix it)
 * @param field  the request field at fault, or null
 */
public record ApiProblem(@Nullable String type, @Nullable String title, int status, String detail,
    @Nullable String field) {

  /** Last segment of {@link #type}: {@code invalid-input}, {@code not-found}, ... or "" when absent. */
  public String kind() {
    if (type == null) {
      return "";
    }
    return type.substring(type.lastIndexOf('/') + 1);
  }
}
