package org.corral.drivers;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.corral.drivers.guest.GuestExec;
import org.corral.drivers.hypervisor.HypervisorDriver;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.probe.Probe;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The explicit registry of drivers by URI scheme. Registration is by hand (no classpath
 * scanning); an unknown scheme is a clear error naming the schemes that exist.
 */
public final class Drivers {
  private final Map<String, HypervisorDriver> hypervisors = new LinkedHashMap<>();
  private final Map<String, PowerDriver> power = new LinkedHashMap<>();
  private final Map<String, Probe> probes = new LinkedHashMap<>();
  private final Map<String, GuestExec> guests = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public Drivers hypervisor(HypervisorDriver d) {
    d.schemes().forEach(s -> hypervisors.put(s, d));
    track(d);
    return this;
  }

  public Drivers power(PowerDriver d) {
    d.schemes().forEach(s -> power.put(s, d));
    track(d);
    return this;
  }

  public Drivers probe(Probe p) {
    p.schemes().forEach(s -> probes.put(s, p));
    track(p);
    return this;
  }

  public Drivers guest(GuestExec g) {
    g.schemes().forEach(s -> guests.put(s, g));
    track(g);
    return this;
  }

  private void track(Object o) {
    if (o instanceof AutoCloseable c && !closeables.contains(c)) {
      closeables.add(c);
    }
  }

  public HypervisorDriver hypervisorFor(String field, @Nullable String uri) {
    return pick(field, uri, hypervisors, "hypervisor");
  }

  public PowerDriver powerFor(String field, @Nullable String uri) {
    return pick(field, uri, power, "power");
  }

  public Probe probeFor(String field, @Nullable String uri) {
    return pick(field, uri, probes, "probe");
  }

  public GuestExec guestFor(String field, @Nullable String uri) {
    return pick(field, uri, guests, "guest exec");
  }

  /** True when a hypervisor driver handles {@code uri}'s scheme. */
  public boolean handlesHypervisor(String uri) {
    String s = scheme(uri);
    return s != null && hypervisors.containsKey(s);
  }

  private static <D> D pick(String field, @Nullable String uri, Map<String, D> map, String what) {
    String scheme = scheme(uri);
    if (scheme == null) {
      throw new InvalidInputException(field, InvalidInputException.quote(uri) + " is not a URI", "write it as scheme://..., e.g. " + example(what));
    }
    D d = map.get(scheme);
    if (d == null) {
      throw new InvalidInputException(field, "no " + what + " driver for scheme " + InvalidInputException.quote(scheme),
          "use one of " + String.join(", ", map.keySet()));
    }
    return d;
  }

  /** The URI's scheme in lower case, or null if it has none. */
  public static @Nullable String scheme(@Nullable String uri) {
    if (uri == null) {
      return null;
    }
    try {
      String s = new URI(uri).getScheme();
      return s == null ? null : s.toLowerCase();
    } catch (Exception e) {
      int i = uri.indexOf("://");
      return i > 0 ? uri.substring(0, i).toLowerCase() : null;
    }
  }

  private static String example(String what) {
    return switch (what) {
      case "hypervisor" -> "qemu+ssh://root@node1/system";
      case "power" -> "ipmi://admin@10.0.0.11";
      case "probe" -> "tcp://node1:22";
      default -> "ssh://root@10.0.0.5";
    };
  }

  /** Closes every driver that holds resources (connections, threads). */
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Closing is best effort at shutdown.
      }
    }
  }
}
