package org.corral.cli.render;

import java.util.Arrays;
import java.util.List;

/**
 * Table rows printed one at a time, for streams where the widest cell is not known in advance
 * ({@code events --follow}). Columns have fixed widths; a longer cell pushes the rest right.
 */
public final class FixedColumns {
  private final int[] widths;
  private final List<String> headers;

  /** {@code widths} has one entry per header; the last column is never padded. */
  public FixedColumns(List<String> headers, int... widths) {
    if (widths.length != headers.size()) {
      throw new IllegalArgumentException(widths.length + " widths for " + headers.size() + " columns");
    }
    this.headers = List.copyOf(headers);
    this.widths = widths.clone();
  }

  public String header() {
    StringBuilder b = new StringBuilder();
    Table.line(b, widths, headers);
    return b.toString();
  }

  public String row(Object... cells) {
    if (cells.length != widths.length) {
      throw new IllegalArgumentException("row has " + cells.length + " cells for " + widths.length + " columns");
    }
    StringBuilder b = new StringBuilder();
    Table.line(b, widths, Arrays.stream(cells).map(Table::cell).toList());
    return b.toString();
  }
}
