package org.corral.controller.store;

import java.util.Comparator;
import org.corral.model.plan.ActionRecord;

/** The order in which {@link StoredState#unfinished()} lists actions: oldest first, ties by key. */
final class ActionOrder {
  static final Comparator<ActionRecord> OLDEST_FIRST =
      Comparator.comparing(ActionRecord::created).thenComparing(ActionRecord::key);

  private ActionOrder() {}
}
