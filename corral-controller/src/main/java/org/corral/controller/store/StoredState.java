package org.corral.controller.store;

import java.util.List;
import java.util.Map;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionRecord;
import org.corral.model.vm.Vm;

/**
 * What {@link Store#load()} returns.
 *
 * @param unfinished actions whose status is not final (QUEUED or RUNNING), oldest first
 * @param meta       small controller settings (e.g. the root seed, the cycle counters)
 */
public record StoredState(List<Host> hosts, List<Vm> vms, List<Network> networks, List<Image> images,
    List<ActionRecord> unfinished, Map<String, String> meta) {}
