package org.corral.controller.issues;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.corral.controller.command.VmRequest;
import org.corral.controller.executor.Executor;
import org.corral.controller.loop.Monitor;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.host.HostState;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 26, item 9: a failed action appeared only in the journal. Every failed action and every
 * incident is now logged once, with the VM, the host and the reason.
 */
class Issue26IncidentLogTest {
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void attach() {
    log.start();
    ((Logger) LoggerFactory.getLogger(Executor.class)).addAppender(log);
    ((Logger) LoggerFactory.getLogger(Monitor.class)).addAppender(log);
  }

  @AfterEach
  void detach() {
    ((Logger) LoggerFactory.getLogger(Executor.class)).detachAppender(log);
    ((Logger) LoggerFactory.getLogger(Monitor.class)).detachAppender(log);
  }

  private List<String> warnings() {
    return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aFailedMigrationAndAHostGoingDownAreLoggedOnceWithVmHostAndReason() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.controller.guardian().stop(); // this test is about the DOWN host itself, not its recovery
    lab.cmd().createVm(VmRequest.of("m1", 1, 1024), "t");
    lab.untilVm("m1", VmState.RUNNING, Duration.ofMinutes(2));
    String from = lab.vm("m1").host();
    String to = from.equals("node01") ? "node02" : "node01";
    lab.dc.failNextMigrations("m1", 10);
    lab.cmd().migrateVm("m1", to, "t");
    lab.run(Duration.ofMinutes(5));
    assertThat(warnings()).filteredOn(w -> w.contains("failed")).singleElement().satisfies(w ->
        assertThat(w).contains("migrate m1 from " + from + " to " + to).contains("migration"));

    lab.dc.crashHost(to);
    lab.until(to + " DOWN", () -> lab.host(to).state() == HostState.DOWN, Duration.ofMinutes(2));
    lab.run(Duration.ofMinutes(1));
    assertThat(warnings()).filteredOn(w -> w.startsWith("host " + to)).singleElement()
        .satisfies(w -> assertThat(w).startsWith("host " + to + " is DOWN: no answer for"));
  }
}
