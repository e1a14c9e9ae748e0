package org.corral.cli.render;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** "Key:  value" lines with the values aligned, for {@code show} commands. */
public final class Details {
  private record Line(String key, String value) {}

  private final List<Line> lines = new ArrayList<>();

  public Details add(String key, @Nullable Object value) {
    lines.add(new Line(key, Table.cell(value)));
    return this;
  }

  public String render() {
    int width = lines.stream().mapToInt(l -> l.key().length()).max().orElse(0) + 1;
    StringBuilder b = new StringBuilder();
    for (Line l : lines) {
      String key = l.key() + ":";
      b.append(key).append(" ".repeat(width - key.length() + 2)).append(l.value()).append('\n');
    }
    return b.toString();
  }
}
