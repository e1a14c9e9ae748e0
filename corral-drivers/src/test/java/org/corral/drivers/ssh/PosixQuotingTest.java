package org.corral.drivers.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** PosixQuoting checked against the real /bin/sh: what goes in as argv comes out as argv. */
class PosixQuotingTest {
  @Test
  void leavesPlainArgumentsBareAndQuotesTheRest() {
    assertThat(PosixQuoting.commandLine(List.of("shutdown", "-h", "now"))).isEqualTo("shutdown -h now");
    assertThat(PosixQuoting.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(PosixQuoting.quote("")).isEqualTo("''");
    assertThat(PosixQuoting.quote("$(reboot)")).isEqualTo("'$(reboot)'");
  }

  @Test
  void rejectsWhatAShellCannotCarry() {
    assertThatThrownBy(() -> PosixQuoting.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PosixQuoting.commandLine(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 40, seed = "20261126")
  void shellGivesBackTheExactArguments(
      @ForAll @Size(min = 1, max = 4) List<@StringLength(max = 12)
          @Chars({' ', '\'', '"', '\\', '$', '`', ';', '&', '|', '*', '?', '~', '#', '!', '(', ')', '<', '>', '\n', '\t'})
          @CharRange(from = 'a', to = 'c') String> args) throws Exception {
    // printf '%s\0' prints each argument NUL-terminated, so the round trip is exact.
    List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
    argv.addAll(args);
    Process p = new ProcessBuilder("/bin/sh", "-c", PosixQuoting.commandLine(argv)).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    String joined = new String(out, java.nio.charset.StandardCharsets.UTF_8);
    List<String> back = List.of(joined.split("\0", -1)).subList(0, args.size());
    assertThat(back).isEqualTo(args);
  }
}
