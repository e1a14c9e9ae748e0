package org.corral.model;

/**
 * Input that can never be accepted as given: the message names the field, the value at fault and
 * the fix. Nothing was changed when this is thrown.
 */
public final class InvalidInputException extends CorralException {
  /** Characters of a bad value quoted in a message: enough to recognise it, never a whole upload. */
  public static final int QUOTED_PREFIX = 64;
  private final String field;

  public InvalidInputException(String field, String problem, @org.jspecify.annotations.Nullable String fix) {
    super(field + ": " + problem + (fix == null || fix.isBlank() ? "" : "; " + fix));
    this.field = field;
  }

  /** Dotted path of the offending field, e.g. {@code spec.memoryMib} or {@code hosts[2].uri}. */
  public String field() {
    return field;
  }

  /**
   * {@code value} as a message quotes it: in single quotes, at most {@value #QUOTED_PREFIX}
   * characters (then "…" and the full length), control characters escaped so that a terminal or
   * log shows them as text, and any inline secret masked ({@link Secrets#mask}).
   */
  public static String quote(@org.jspecify.annotations.Nullable String value) {
    if (value == null) {
      return "null";
    }
    String v = java.util.Objects.requireNonNull(Secrets.mask(value)); // masking text gives text
    boolean cut = v.length() > QUOTED_PREFIX;
    if (cut) {
      int end = Character.isHighSurrogate(v.charAt(QUOTED_PREFIX - 1)) ? QUOTED_PREFIX - 1 : QUOTED_PREFIX;
      v = v.substring(0, end);
    }
    StringBuilder b = new StringBuilder(v.length() + 24).append('\'');
    v.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return cut ? b.append("…' (").append(value.length()).append(" characters)").toString() : b.append('\'').toString();
  }

  @Override
  public String problemType() {
    return "invalid-input";
  }
}
