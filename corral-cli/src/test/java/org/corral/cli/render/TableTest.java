package org.corral.cli.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columnsAreAsWideAsTheirWidestCellAndBlanksShowAsDash() {
    String t = Table.of("NAME", "STATE", "REASON")
        .row("web1", "RUNNING", null)
        .row("database-7", "PENDING", "no host has 64.0 GiB free")
        .row("x", "", "multi\nline")
        .render();

    assertThat(t).isEqualTo("""
        NAME        STATE    REASON
        web1        RUNNING  -
        database-7  PENDING  no host has 64.0 GiB free
        x           -        multi line
        """);
  }

  @Test
  void anEmptyTableIsItsHeader() {
    assertThat(Table.of("A", "B").render()).isEqualTo("A  B\n");
  }

  @Test
  void aRowMustFillEveryColumn() {
    assertThatThrownBy(() -> Table.of("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row has 1 cells for 2 columns");
  }

  @Test
  void fixedColumnsPadToTheirWidthAndLetLongCellsPush() {
    FixedColumns c = new FixedColumns(List.of("A", "B", "C"), 4, 3, 0);

    assertThat(c.header()).isEqualTo("A     B    C\n");
    assertThat(c.row("x", "toolong", "z")).isEqualTo("x     toolong  z\n");
  }

  @Test
  void detailsAlignValues() {
    assertThat(new Details().add("Name", "web1").add("HA priority", 3).add("Host", null).render()).isEqualTo("""
        Name:         web1
        HA priority:  3
        Host:         -
        """);
  }
}
