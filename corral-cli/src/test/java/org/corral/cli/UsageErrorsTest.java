package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad command lines stop in the CLI with exit 2, name the option, and send nothing. */
class UsageErrorsTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
    assertThat(api.requests()).as("a usage error must not reach the API").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      vm create web1 --cpus 2 --memory 2048 --label tier                  | option '--label' (KEY=VALUE) should be in KEY=VALUE format but was tier
      vm create web1 --cpus 2 --memory -5                                 | Invalid value for option '--memory': '-5' is negative; give 0 or more
      vm create web1 --cpus two --memory 2048                             | Invalid value for option '--cpus': 'two' is not a whole number
      vm create web1 --memory 2048                                        | Missing required option: '--cpus=N'
      vm create web1 --cpus 2 --memory 2048 --policy cheapest             | Invalid value for option '--policy': 'cheapest' is not a policy; give one of packing, striping, load-aware, power-aware, custom
      vm create web1 --cpus 2 --memory 2048 --disk :20                    | Invalid value for option '--disk' (IMAGE[:SIZEGIB]): ':20' has no image name
      vm create web1 --cpus 2 --memory 2048 --wait --timeout soon         | Invalid value for option '--timeout': 'soon' is not a duration
      vm create web1 --cpus 2 --memory 2048 --wait --hold                 | --wait cannot be used with --hold
      vm list --state sleeping                                            | Invalid value for option '--state'
      host add node1 --uri qemu:///system --cores 4                       | Missing required argument(s): --mhz=N, --memory=MIB
      host add node1 --uri qemu:///system --idle-watts 90                 | Missing required argument(s): --max-watts=W
      host maintenance node1                                              | Missing required argument (specify one of these): (--on | --off)
      host maintenance node1 --on --off                                   | --on, --off are mutually exclusive (specify only one)
      sim workload web1 --constant 0.5 --steps 0:0.1                      | are mutually exclusive
      sim workload web1 --constant 1.5                                    | '1.5' is outside 0..1
      sim workload web1 --steps 0:0.2,0:0.8                               | does not come after the one before
      sim workload web1 --steps 0-0.2                                     | '0-0.2' is not SECONDS:UTILISATION
      events --follow --limit 5                                           | --limit cannot be used with --follow
      events --limit -1                                                   | Invalid value for option '--limit': '-1' is negative
      host frobnicate                                                     | Unmatched argument at index 1: 'frobnicate'
      vm                                                                  | Missing required subcommand
      """)
  void isRejectedLocally(String args, String message) {
    Run r = Run.corral(api, args.split(" "));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: ").contains(message).contains("--help'");
  }

  @Test
  void unreadableUserDataIsAUsageError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");

    Run r = Run.corral(api, "vm", "create", "web1", "--cpus", "2", "--memory", "2048", "--user-data", missing.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --user-data: cannot read '" + missing + "' (NoSuchFileException");
  }

  @Test
  void noCommandAtAllSaysWhatToType() {
    Run r = Run.corral(api);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: no command given; try 'corral status' or 'corral --help'");
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    Run r = Run.corral(api, "vms", "list");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Did you mean: corral vm?");
  }
}
