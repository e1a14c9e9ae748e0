package org.corral.cli.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rows under a header, each column as wide as its widest cell, two spaces apart. Null or blank
 * cells show as "-" so that columns never collapse and {@code awk} still counts fields.
 */
public final class Table {
  static final String GAP = "  ";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  private Table(List<String> headers) {
    this.headers = headers;
  }

  public static Table of(String... headers) {
    return new Table(List.of(headers));
  }

  public Table row(@Nullable Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(Arrays.stream(cells).map(Table::cell).toList());
    return this;
  }

  public int size() {
    return rows.size();
  }

  /** The table as lines ending in '\n'; trailing spaces trimmed. */
  public String render() {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> r : rows) {
        widths[c] = Math.max(widths[c], r.get(c).length());
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, widths, headers);
    for (List<String> r : rows) {
      line(b, widths, r);
    }
    return b.toString();
  }

  static void line(StringBuilder b, int[] widths, List<String> cells) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        l.append(GAP);
      }
      String s = cells.get(c);
      l.append(s);
      if (c < cells.size() - 1) {
        l.append(" ".repeat(Math.max(0, widths[c] - s.length())));
      }
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }

  /** Characters {@code o} takes as a cell. */
  public static int width(@Nullable Object o) {
    return cell(o).length();
  }

  static String cell(@Nullable Object o) {
    if (o == null) {
      return "-";
    }
    String s = o.toString();
    return s.isBlank() ? "-" : s.replace('\n', ' ');
  }
}
