package org.corral.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.corral.controller.command.VmRequest;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.store.InMemoryStore;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.InvalidInputException;
import org.corral.model.journal.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the controller applies the journal's retention on its own, on virtual time: by count
 * as soon as a pass runs, by age once entries grow old; sequence numbers go on; a bad `journal:`
 * section names the field.
 */
class JournalRetentionTest {
  @Test
  void theControllerKeepsTheJournalWithinItsRetention() {
    ControllerSettings settings = LabHarness.fastSettings()
        .withJournal(new JournalRetention(Duration.ofHours(1), 1000, Duration.ofMinutes(1)));
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT, settings);
    InMemoryStore store = new InMemoryStore();
    lab.start(store);
    List<VmRequest> vms = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      vms.add(new VmRequest("r" + i, 1, 64L, null, null, null, null, null, null, null, null, null, null, null, true));
    }
    lab.cmd().createVms(vms, "test");
    long last = store.lastSeq();
    assertThat(last).isGreaterThan(1500);

    lab.run(Duration.ofMinutes(1).plusSeconds(1));
    List<JournalEntry> kept = all(store);
    assertThat(kept.size()).isBetween(1000, 1010); // the newest 1000, and what the minute added
    assertThat(kept.getLast().seq()).isEqualTo(store.lastSeq());
    assertThat(lab.controller.journalDeleted()).isEqualTo(last - 1000);

    // Two hours later every entry is older than maxAge; the newest is always kept.
    lab.run(Duration.ofHours(2));
    List<JournalEntry> old = all(store);
    // An idle lab journals nothing new: what is left is the newest entry alone.
    assertThat(old).hasSize(1);
    assertThat(old.getLast().seq()).isEqualTo(store.lastSeq()).isEqualTo(kept.getLast().seq());
  }

  private static List<JournalEntry> all(InMemoryStore store) {
    List<JournalEntry> out = new ArrayList<>();
    long after = 0;
    while (true) {
      List<JournalEntry> page = store.journal(after, 10_000, null);
      if (page.isEmpty()) {
        return out;
      }
      out.addAll(page);
      after = page.getLast().seq();
    }
  }

  @Test
  void theJournalSectionIsReadAndCheckedWithItsFieldPath() {
    var cfg = ConfigReader.parse("journal: {maxAge: 7d, maxEntries: 50000, every: 10m}\n", "t", Map.of());
    assertThat(cfg.controller().journal()).isEqualTo(new JournalRetention(Duration.ofDays(7), 50_000, Duration.ofMinutes(10)));
    assertThat(ConfigReader.parse("{}\n", "t", Map.of()).controller().journal()).isEqualTo(JournalRetention.DEFAULT);
    assertThatThrownBy(() -> ConfigReader.parse("journal: {maxEntries: 5}\n", "t", Map.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("journal.maxEntries");
    assertThatThrownBy(() -> ConfigReader.parse("journal: {maxAge: forever}\n", "t", Map.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("journal.maxAge");
    assertThatThrownBy(() -> ConfigReader.parse("journal: {keep: 5}\n", "t", Map.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("journal.keep");
  }
}
