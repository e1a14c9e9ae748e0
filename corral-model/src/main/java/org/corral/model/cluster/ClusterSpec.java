package org.corral.model.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;

/**
 * A distributed system declared once: where it may run, its default VM template and its roles.
 * {@link #validate} checks everything that needs no knowledge of the world and names the field
 * path (as written in the YAML) and the fix.
 */
public record ClusterSpec(String name, HostPool pool, VmSpec template, List<RoleSpec> roles, @Nullable String guest) {
  /** Label every member VM carries, its value the cluster's name: stop and delete touch only these VMs. */
  public static final String CLUSTER_LABEL = "corral.io/cluster";
  /** Label naming the member's role (the VM's own role; roles hosted by it are in the spec). */
  public static final String ROLE_LABEL = "corral.io/role";
  public static final int MAX_ROLES = 64;

  public ClusterSpec {
    pool = pool == null ? HostPool.ANY : pool;
    roles = roles == null ? List.of() : List.copyOf(roles);
    guest = guest == null || guest.isBlank() ? null : guest;
  }

  /**
   * A spec whose hooks and checks reach the members' guests the default way: the simulator's own
   * transport in the simulated lab, else the QEMU guest agent through the member's host.
   */
  public ClusterSpec(String name, HostPool pool, VmSpec template, List<RoleSpec> roles) {
    this(name, pool, template, roles, null);
  }

  public @Nullable RoleSpec role(String roleName) {
    for (RoleSpec r : roles) {
      if (r.name().equals(roleName)) {
        return r;
      }
    }
    return null;
  }

  public String roleNames() {
    return String.join(", ", roles.stream().map(RoleSpec::name).toList());
  }

  /** The VM template of {@code role}'s members: its own, else the cluster's default. */
  public VmSpec templateOf(RoleSpec role) {
    return role.template() != null ? role.template() : template;
  }

  /** The role whose VMs hold {@code role}: itself, or the role named by its {@code hostedBy}. */
  public RoleSpec vmRole(RoleSpec role) {
    RoleSpec host = role.hostedBy() == null ? null : role(role.hostedBy());
    return host == null ? role : host;
  }

  public ClusterSpec validate() {
    Names.require("name", name);
    pool.validate("hosts");
    within("template", template::validate);
    if (template.userData() != null) {
      Templates.checkText("template.userData", template.userData(), this);
    }
    if (roles.isEmpty()) {
      throw new InvalidInputException("roles", "is empty", "declare at least one role, e.g. roles: [{name: web, count: 2}]");
    }
    if (roles.size() > MAX_ROLES) {
      throw new InvalidInputException("roles", "has " + roles.size() + " roles, more than " + MAX_ROLES, "merge roles");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < roles.size(); i++) {
      RoleSpec r = roles.get(i);
      if (r == null) {
        throw new InvalidInputException("roles[" + i + "]", "is empty", "give {name: ROLE, count: N}");
      }
      Names.require("roles[" + i + "].name", r.name());
      if (!seen.add(r.name())) {
        throw new InvalidInputException("roles[" + i + "].name", InvalidInputException.quote(r.name()) + " is declared twice", "give each role its own name");
      }
    }
    for (int i = 0; i < roles.size(); i++) {
      RoleSpec r = roles.get(i);
      r.validate("roles[" + i + "]", this);
      int length = name.length() + r.name().length() + 2 + Integer.toString(r.max()).length();
      if (r.hostedBy() == null && length > 63) {
        throw new InvalidInputException("roles[" + i + "].name", "makes member names (" + name + "-" + r.name() + "-" + r.max() + ") longer than 63 characters",
            "shorten the cluster's or the role's name");
      }
    }
    waves();
    if (guest != null) {
      if (!guest.contains("://")) {
        throw new InvalidInputException("guest", InvalidInputException.quote(guest) + " is not a URI",
            "write the guest-exec target as a template, e.g. guest: \"ssh://root@{{member.address}}:22\"");
      }
      Templates.check("guest", List.of(guest), this);
    }
    return this;
  }

  /**
   * Roles in deployment order: each wave holds the roles whose dependencies are all in earlier
   * waves (a wave's roles deploy in parallel); undeploy runs the waves in reverse. A role depends
   * on its {@code hostedBy} role too.
   *
   * @throws InvalidInputException naming the {@code dependsOn} of a role on a cycle, with the cycle
   */
  public List<List<String>> waves() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (RoleSpec r : roles) {
      List<String> d = new ArrayList<>(r.dependsOn());
      if (r.hostedBy() != null && !d.contains(r.hostedBy())) {
        d.add(r.hostedBy());
      }
      deps.put(r.name(), d);
    }
    Map<String, Integer> level = new HashMap<>();
    List<List<String>> waves = new ArrayList<>();
    for (String r : deps.keySet()) {
      levelOf(r, deps, level, new ArrayDeque<>());
    }
    for (String r : deps.keySet()) {
      int l = level.getOrDefault(r, 0);
      while (waves.size() <= l) {
        waves.add(new ArrayList<>());
      }
      waves.get(l).add(r);
    }
    return waves.stream().map(List::copyOf).toList();
  }

  private int levelOf(String r, Map<String, List<String>> deps, Map<String, Integer> level, Deque<String> path) {
    Integer known = level.get(r);
    if (known != null) {
      return known;
    }
    if (path.contains(r)) {
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (var it = path.descendingIterator(); it.hasNext(); ) {
        String p = it.next();
        in |= p.equals(r);
        if (in) {
          cycle.add(p);
        }
      }
      cycle.add(r);
      int index = roles.indexOf(role(r));
      throw new InvalidInputException("roles[" + index + "].dependsOn", "is on a cycle: " + String.join(" -> ", cycle),
          "a role cannot (even indirectly) depend on itself: drop one of these dependencies");
    }
    path.push(r);
    int l = 0;
    for (String d : deps.getOrDefault(r, List.of())) {
      l = Math.max(l, levelOf(d, deps, level, path) + 1);
    }
    path.pop();
    level.put(r, l);
    return l;
  }

  /** Runs a model validation, putting {@code prefix} in front of the field it names (spec.cpus → roles[0].template.cpus). */
  <T> T within(String prefix, java.util.function.Supplier<T> s) {
    try {
      return s.get();
    } catch (InvalidInputException e) {
      String f = e.field();
      String message = java.util.Objects.requireNonNull(e.getMessage());
      String rest = message.substring(Math.min(message.length(), f.length() + 2));
      String inner = f.startsWith("spec.") ? f.substring(5) : f;
      // The YAML names a template's disk "image" and its NICs "networks".
      inner = inner.replaceFirst("^disks\\[0]\\.image$", "image").replaceFirst("^nics\\[(\\d+)]\\.network$", "networks[$1]");
      throw new InvalidInputException(prefix + "." + inner, rest, null);
    }
  }
}
