package org.corral.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReadersTest {
  @TempDir Path dir;

  @Test
  void planetLabFilesAreReadInSortedNameOrderSpacesIncluded() throws IOException {
    Files.writeString(dir.resolve("b_host"), "10\n20\n30\n");
    Files.writeString(dir.resolve("a_host rnp"), "0\n99\n5\n");
    Files.writeString(dir.resolve("a_host"), "1\n2\n3\n");
    Files.writeString(dir.resolve("B_upper"), "4\n5\n6\n");
    Trace t = PlanetLabReader.read(dir);
    // byte order: upper case < lower case, and "a_host" < "a_host rnp"
    assertThat(t.vms()).containsExactly("B_upper", "a_host", "a_host rnp", "b_host");
    assertThat(t.samples()).isEqualTo(3);
    assertThat(t.at(2, 1)).isEqualTo(0.99);
    assertThat(t.intervalSeconds()).isEqualTo(300);
  }

  @Test
  void aBadPlanetLabValueNamesTheFileAndLine() throws IOException {
    Files.writeString(dir.resolve("vm"), "10\nx\n");
    assertThatThrownBy(() -> PlanetLabReader.read(dir)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void csvTracesKeepTheFileOrderAndTheirInterval() throws IOException {
    Path f = dir.resolve("t.csv");
    Files.writeString(f, "# my trace\n# interval-seconds: 60\nvm,u0,u1,u2\nweb-1,10,20.5,30\n\ndb-1,0,100,50\n");
    Trace t = CsvTraceReader.read(f);
    assertThat(t.vms()).containsExactly("web-1", "db-1");
    assertThat(t.intervalSeconds()).isEqualTo(60);
    assertThat(t.at(0, 1)).isEqualTo(0.205);
    assertThat(Trace.read(f).vms()).isEqualTo(t.vms());
  }

  @Test
  void csvErrorsNameTheLineAndTheFix() throws IOException {
    Path f = dir.resolve("t.csv");
    Files.writeString(f, "vm,u0,u1\nweb-1,10,200\n");
    assertThatThrownBy(() -> CsvTraceReader.read(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("line 2 column 3").hasMessageContaining("0-100");
    Files.writeString(f, "vm,u0,u1\nweb-1,10\n");
    assertThatThrownBy(() -> CsvTraceReader.read(f)).hasMessageContaining("columns");
    Files.writeString(f, "name,u0,u1\n");
    assertThatThrownBy(() -> CsvTraceReader.read(f)).hasMessageContaining("header");
  }

  @Test
  void theExampleTraceReads() {
    Trace t = Trace.read(Path.of("../examples/trace.csv"));
    assertThat(t.size()).isGreaterThan(1);
  }
}
