package org.corral.model.cluster;

import org.corral.model.InvalidInputException;

/** A scheduled elasticity rule: when {@code cron} fires (UTC), set the role's count to {@code count}. */
public record ScheduledCount(String cron, int count) {
  void validate(String field, RoleSpec role) {
    Cron.parse(field + ".cron", cron == null ? "" : cron);
    if (count < role.min() || count > role.max()) {
      throw new InvalidInputException(field + ".count", "is " + count + ", outside min " + role.min() + " .. max " + role.max(),
          "give a count from " + role.min() + " to " + role.max());
    }
  }
}
