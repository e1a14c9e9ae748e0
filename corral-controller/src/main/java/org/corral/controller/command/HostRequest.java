package org.corral.controller.command;

import java.util.Map;
import org.corral.model.Labels;
import org.corral.model.Secrets;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerSpec;
import org.jspecify.annotations.Nullable;

/**
 * What `POST /hosts`, `corral host add` and corral.yaml's inventory give.
 *
 * @param capacity   null: asked from the hypervisor when the host is added
 * @param powerModel null: a generic 100 W idle / 250 W max line
 */
public record HostRequest(String name, String uri, @Nullable HostCapacity capacity, @Nullable Map<String, String> labels,
    @Nullable PowerSpec power, @Nullable PowerModelRequest powerModel, org.corral.model.host.@Nullable LockManager lockManager) {

  /** Without a lock manager. */
  public HostRequest(String name, String uri, @Nullable HostCapacity capacity, @Nullable Map<String, String> labels,
      @Nullable PowerSpec power, @Nullable PowerModelRequest powerModel) {
    this(name, uri, capacity, labels, power, powerModel, null);
  }

  /** Every route that adds a host builds one of these: secrets are refused here, before any message quotes a URI. */
  public HostRequest {
    Secrets.refuseInline("uri", uri);
    if (power != null) {
      power.validate();
    }
    Labels.require("labels", labels);
  }

  /** Either idle/max watts or an 11-point table. */
  public record PowerModelRequest(@Nullable Double idleWatts, @Nullable Double maxWatts, java.util.@Nullable List<Double> watts,
      @Nullable Double offWatts) {}
}
