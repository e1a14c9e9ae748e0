package org.corral.controller.store;

import java.util.Comparator;
import org.corral.model.plan.ActionRecord;

/** The order in which {@link StoredState#unfinished()} lists actions: oldest first, ties by key. */
final class ActionOrder {
  static final Comparator<ActionRecord> OLDEST_FIRST =
      Comparator.comparing(ActionRecord::created).thenComparing(ActionRecord::key);

  /** The order of {@link Store#actions}: last updated first, ties by key. */
  static final Comparator<ActionRecord> NEWEST_UPDATE_FIRST =
      Comparator.comparing((ActionRecord a) -> a.updated() == null ? a.created() : a.updated()).reversed()
          .thenComparing(ActionRecord::key);

  private ActionOrder() {}
}
