package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.corral.model.InvalidInputException;
import org.corral.model.host.Host;
import org.corral.model.network.Network;
import org.corral.model.vm.Vm;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.vm.VmState;

/**
 * Random sequences of batches (puts, deletes, appends over a few names, some batches poisoned
 * with a change the store must refuse) leave the in-memory store and the H2 store in the state a
 * plain model of "apply the good batches in order" predicts.
 */
class StorePropertiesTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  static {
    QuietFlyway.apply();
  }

  /** One change of a generated batch; {@code Poison} makes the whole batch invalid. */
  sealed interface Op {
    record PutVm(String name, boolean held) implements Op {}
    record DeleteVm(String name) implements Op {}
    record PutHost(String name, boolean full) implements Op {}
    record DeleteHost(String name) implements Op {}
    record PutNetwork(String name) implements Op {}
    record DeleteNetwork(String name) implements Op {}
    record PutAction(String key, ActionStatus status, int createdSecond) implements Op {}
    record PutMeta(String key, String value) implements Op {}
    record Append(String subject) implements Op {}
    record Poison() implements Op {}
  }

  /** What the stores should hold: maps keyed by name, and the journal in order. */
  private static final class Model {
    final Map<String, Vm> vms = new TreeMap<>();
    final Map<String, Host> hosts = new TreeMap<>();
    final Map<String, Network> networks = new TreeMap<>();
    final Map<String, ActionRecord> actions = new TreeMap<>();
    final Map<String, String> meta = new TreeMap<>();
    final List<JournalEntry> journal = new ArrayList<>();
  }

  @Property(tries = 12, seed = "20260101")
  void storesEndInTheStateOfTheGoodBatchesAppliedInOrder(@ForAll("runs") List<List<Op>> batches) {
    Model model = new Model();
    try (Store memory = new InMemoryStore();
         Store h2 = JdbcStore.open("jdbc:h2:mem:prop" + DATABASES.incrementAndGet(), "sa", "")) {
      for (List<Op> batch : batches) {
        Changes changes = toChanges(batch);
        if (batch.stream().anyMatch(op -> op instanceof Op.Poison)) {
          assertThatThrownBy(() -> memory.write(changes)).isInstanceOf(InvalidInputException.class);
          assertThatThrownBy(() -> h2.write(changes)).isInstanceOf(InvalidInputException.class);
        } else {
          List<JournalEntry> expected = apply(model, batch);
          assertThat(memory.write(changes)).isEqualTo(expected);
          assertThat(h2.write(changes)).isEqualTo(expected);
        }
      }
      for (Store store : List.of(memory, h2)) {
        StoredState s = store.load();
        assertThat(s.vms()).as("vms").containsExactlyElementsOf(model.vms.values());
        assertThat(s.hosts()).as("hosts").containsExactlyElementsOf(model.hosts.values());
        assertThat(s.networks()).as("networks").containsExactlyElementsOf(model.networks.values());
        assertThat(s.meta()).as("meta").isEqualTo(model.meta);
        assertThat(s.unfinished()).as("unfinished actions").containsExactlyElementsOf(model.actions.values().stream()
            .filter(a -> !a.status().isFinal()).sorted(ActionOrder.OLDEST_FIRST).toList());
        assertThat(store.journal(0, 10_000, null)).as("journal").isEqualTo(model.journal);
        assertThat(store.lastSeq()).isEqualTo(model.journal.size());
      }
    }
  }

  private static List<JournalEntry> apply(Model m, List<Op> batch) {
    List<JournalEntry> appended = new ArrayList<>();
    for (Op op : batch) {
      switch (op) {
        case Op.PutVm o -> m.vms.put(o.name(), vm(o));
        case Op.DeleteVm o -> m.vms.remove(o.name());
        case Op.PutHost o -> m.hosts.put(o.name(), host(o));
        case Op.DeleteHost o -> m.hosts.remove(o.name());
        case Op.PutNetwork o -> m.networks.put(o.name(), Samples.fullNetwork(o.name()));
        case Op.DeleteNetwork o -> m.networks.remove(o.name());
        case Op.PutAction o -> m.actions.put(o.key(), action(o));
        case Op.PutMeta o -> m.meta.put(o.key(), o.value());
        case Op.Append o -> {
          JournalEntry e = Samples.entry(o.subject(), "about " + o.subject()).withSeq(m.journal.size() + 1L);
          m.journal.add(e);
          appended.add(e);
        }
        case Op.Poison o -> throw new IllegalStateException("a poisoned batch is never applied");
      }
    }
    return appended;
  }

  private static Changes toChanges(List<Op> batch) {
    Changes c = new Changes();
    for (Op op : batch) {
      switch (op) {
        case Op.PutVm o -> c.put(vm(o));
        case Op.DeleteVm o -> c.add(new Changes.Change.DeleteVm(o.name()));
        case Op.PutHost o -> c.put(host(o));
        case Op.DeleteHost o -> c.add(new Changes.Change.DeleteHost(o.name()));
        case Op.PutNetwork o -> c.put(Samples.fullNetwork(o.name()));
        case Op.DeleteNetwork o -> c.add(new Changes.Change.DeleteNetwork(o.name()));
        case Op.PutAction o -> c.put(action(o));
        case Op.PutMeta o -> c.meta(o.key(), o.value());
        case Op.Append o -> c.append(Samples.entry(o.subject(), "about " + o.subject()));
        case Op.Poison o -> c.append(new JournalEntry(0, Samples.T0, null, SubjectKind.VM, "x", null, null, null, null, null));
      }
    }
    return c;
  }

  private static Vm vm(Op.PutVm o) {
    var vm = Samples.bareVm(o.name());
    return o.held() ? vm.withState(VmState.HOLD, "held", Samples.at(9)) : vm;
  }

  private static Host host(Op.PutHost o) {
    return o.full() ? Samples.fullHost(o.name()) : Samples.bareHost(o.name());
  }

  private static ActionRecord action(Op.PutAction o) {
    return Samples.record(Samples.deploy(o.key()), o.status(), Samples.at(o.createdSecond()));
  }

  @Provide
  Arbitrary<List<List<Op>>> runs() {
    Arbitrary<String> names = Arbitraries.of("a", "b", "c");
    Arbitrary<Op> op = Arbitraries.oneOf(
        Combinators.combine(names, Arbitraries.of(true, false)).as(Op.PutVm::new),
        names.map(Op.DeleteVm::new),
        Combinators.combine(names, Arbitraries.of(true, false)).as(Op.PutHost::new),
        names.map(Op.DeleteHost::new),
        names.map(Op.PutNetwork::new),
        names.map(Op.DeleteNetwork::new),
        Combinators.combine(names, Arbitraries.of(ActionStatus.class), Arbitraries.integers().between(0, 3))
            .as(Op.PutAction::new),
        Combinators.combine(names, Arbitraries.of("1", "2", "ü")).as(Op.PutMeta::new),
        names.map(Op.Append::new),
        Arbitraries.just(new Op.Poison()));
    return op.list().ofMaxSize(6).list().ofMinSize(1).ofMaxSize(8);
  }
}
