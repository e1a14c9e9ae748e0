package org.corral.model.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.corral.model.Labels;
import org.corral.model.Names;
import org.corral.model.host.Host;

/**
 * The hosts a cluster may run on: named hosts, hosts whose labels match {@code selector}, or
 * both (a host must then be named and match). Empty on both counts: every host.
 */
public record HostPool(List<String> hosts, Map<String, String> selector) {
  public static final HostPool ANY = new HostPool(List.of(), Map.of());

  public HostPool {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    selector = selector == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }

  public boolean admits(Host h) {
    if (!hosts.isEmpty() && !hosts.contains(h.name())) {
      return false;
    }
    for (var e : selector.entrySet()) {
      if (!e.getValue().equals(h.labels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  void validate(String field) {
    for (int i = 0; i < hosts.size(); i++) {
      Names.require(field + ".names[" + i + "]", hosts.get(i));
    }
    Labels.require(field + ".selector", selector);
  }
}
