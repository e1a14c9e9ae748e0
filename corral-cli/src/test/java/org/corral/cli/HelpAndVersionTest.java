package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HelpAndVersionTest {
  @Test
  void everyCommandHasHelpWithTheExitStatusFooter() {
    for (String[] args : new String[][] {{"--help"}, {"vm", "create", "--help"}, {"host", "check", "--help"}, {"sim", "--help"}}) {
      Run r = Run.with(Map.of(), args);

      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args))
          .startsWith("Usage: corral")
          .contains("--api=URL", "-o, --output=FORMAT", "-V, --version")
          .contains("Exit status:", "  3  not found", "  7  --wait gave up (timeout, or the VM FAILED)", "CORRAL_API");
    }
  }

  @Test
  void topLevelHelpListsTheCommands() {
    Run r = Run.with(Map.of(), "--help");

    assertThat(r.out()).contains("  up ", "  status ", "  host ", "  vm ", "  network ", "  image ", "  events ", "  actions ", "  sim ");
  }

  @Test
  void versionWorksOnSubcommandsToo() {
    Run top = Run.with(Map.of(), "--version");
    Run sub = Run.with(Map.of(), "vm", "list", "--version");

    assertThat(top.code()).isZero();
    assertThat(top.out()).matches("corral \\S+\n");
    assertThat(sub.out()).isEqualTo(top.out());
  }
}
