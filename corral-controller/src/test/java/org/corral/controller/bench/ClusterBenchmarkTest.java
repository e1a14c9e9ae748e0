package org.corral.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.corral.controller.ControllerSettings;
import org.junit.jupiter.api.Test;

/**
 * bench/clusters' first figure as a check, on virtual time: with every modelled time at zero and
 * Corral's default periods (cluster loop every 10 s), the web site deploys and undeploys with no
 * virtual time spent waiting for a period: each step follows its member's state change at once.
 */
class ClusterBenchmarkTest {
  @Test
  void webDeployAndUndeployWaitForNoPeriod() throws IOException {
    String web = Files.readString(Path.of("../examples/web.yaml"));
    List<ClusterBenchmark.Timed> t = ClusterBenchmark.webSite("test", ControllerSettings.DEFAULT, ClusterBenchmark.ZERO, Map.of(), web);
    assertThat(t.get(0).virtual()).as("deploy").isLessThan(Duration.ofSeconds(1));
    assertThat(t.get(1).virtual()).as("undeploy").isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void modelledTimesAddUpAlongTheDependencyOrder() throws IOException {
    String web = Files.readString(Path.of("../examples/web.yaml"));
    List<ClusterBenchmark.Timed> t = ClusterBenchmark.webSite("test", ControllerSettings.DEFAULT,
        org.corral.drivers.sim.SimLatencies.DEFAULT, ClusterBenchmark.STUDY_HOOKS, web);
    // 3 roles in order, each define 1 s + boot 20 s, then the hooks' critical path: db 5 s, app 10 s, balancer 1 s.
    assertThat(t.get(0).virtual()).isEqualTo(Duration.ofSeconds(3 * 21 + 5 + 10 + 1));
    // onStop hooks in reverse order (balancer: nginx stop 1 s; db: postgresql stop 3 s), then every guest's shutdown at once (10 s).
    assertThat(t.get(1).virtual()).isEqualTo(Duration.ofSeconds(1 + 3 + 10));
  }
}
