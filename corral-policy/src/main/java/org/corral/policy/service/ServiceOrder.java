package org.corral.policy.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.model.InvalidInputException;
import org.corral.model.vm.ServiceCheck;

/**
 * The order of a VM's services: each starts after those it names in {@code after}, and a
 * restart of one restarts, after it, every service that depends on it (directly or not), in
 * start order. Among services free to start, the order they were declared in.
 */
public final class ServiceOrder {
  private final List<ServiceCheck> order;
  private final Map<String, Integer> rank = new HashMap<>();

  private ServiceOrder(List<ServiceCheck> order) {
    this.order = List.copyOf(order);
    for (int i = 0; i < order.size(); i++) {
      rank.put(order.get(i).name(), i);
    }
  }

  /**
   * @param field the services' path in the request, e.g. {@code spec.services}
   * @throws InvalidInputException naming the entry when two services share a name, one names a
   *     service the VM does not have, or they depend on each other in a cycle
   */
  public static ServiceOrder of(String field, List<ServiceCheck> services) {
    if (services.size() > ServiceCheck.MAX_PER_VM) {
      throw new InvalidInputException(field, "has " + services.size() + " services, more than " + ServiceCheck.MAX_PER_VM,
          "check the few services that matter; put the rest behind one script");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      ServiceCheck given = services.get(i);
      if (given == null) {
        throw new InvalidInputException(field + "[" + i + "]", "is empty", "give the service's name and kind, or drop the entry");
      }
      ServiceCheck s = given.validate(field + "[" + i + "]");
      if (index.putIfAbsent(s.name(), i) != null) {
        throw new InvalidInputException(field + "[" + i + "].name", "'" + s.name() + "' is already the name of " + field + "[" + index.get(s.name()) + "]",
            "give each service of a VM its own name");
      }
    }
    for (int i = 0; i < services.size(); i++) {
      List<String> after = services.get(i).after();
      for (int j = 0; j < after.size(); j++) {
        if (!index.containsKey(after.get(j))) {
          throw new InvalidInputException(field + "[" + i + "].after[" + j + "]", "names '" + after.get(j) + "', which this VM does not check",
              "name one of " + index.keySet().stream().sorted().toList() + " or declare it");
        }
      }
    }
    // Kahn's algorithm, always taking the first declared service that is free to start.
    List<ServiceCheck> order = new ArrayList<>();
    Set<String> started = new HashSet<>();
    boolean progress = true;
    while (order.size() < services.size() && progress) {
      progress = false;
      for (ServiceCheck s : services) {
        if (!started.contains(s.name()) && started.containsAll(s.after())) {
          order.add(s);
          started.add(s.name());
          progress = true;
          break;
        }
      }
    }
    if (order.size() < services.size()) {
      List<String> stuck = services.stream().map(ServiceCheck::name).filter(n -> !started.contains(n)).toList();
      int first = 0;
      while (started.contains(services.get(first).name())) {
        first++;
      }
      throw new InvalidInputException(field + "[" + first + "].after", "makes a cycle among " + stuck,
          "drop one of the 'after' entries so that the services can start one after another");
    }
    return new ServiceOrder(order);
  }

  /** The services in the order they start. */
  public List<ServiceCheck> startOrder() {
    return order;
  }

  /** The services to restart after {@code name} was restarted: its dependants, direct or not, in start order. */
  public List<ServiceCheck> dependants(String name) {
    Set<String> affected = new LinkedHashSet<>();
    affected.add(name);
    List<ServiceCheck> out = new ArrayList<>();
    // In start order a dependant comes after everything it depends on, so one pass finds them all.
    for (ServiceCheck s : order) {
      if (!s.name().equals(name) && s.after().stream().anyMatch(affected::contains)) {
        affected.add(s.name());
        out.add(s);
      }
    }
    return out;
  }

  /** Where {@code name} stands in the start order (0 first), or -1 when the VM has no such service. */
  public int rank(String name) {
    return rank.getOrDefault(name, -1);
  }
}
