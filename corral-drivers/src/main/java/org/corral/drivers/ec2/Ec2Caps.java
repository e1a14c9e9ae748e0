package org.corral.drivers.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.corral.drivers.DriverException;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * How many instances of each type Corral may run at the endpoint: {@code caps=t2.small:5,m5.large:2}.
 * Only these types are used. The default is the hybrid-cloud study's: 5 small, 2 large, 1 extra-large.
 */
record Ec2Caps(Map<String, Integer> perType) {
  static final String DEFAULT = "t2.small:5,m5.large:2,m5.xlarge:1";

  Ec2Caps {
    perType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perType));
  }

  static Ec2Caps parse(String field, @Nullable String caps) {
    String text = caps == null ? DEFAULT : caps;
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int colon = part.lastIndexOf(':');
      String type = colon < 0 ? "" : part.substring(0, colon).strip();
      int n = -1;
      try {
        n = colon < 0 ? -1 : Integer.parseInt(part.substring(colon + 1).strip());
      } catch (NumberFormatException ignored) {
        // reported below
      }
      if (type.isEmpty() || n < 0 || out.put(type, n) != null) {
        throw new InvalidInputException(field, "caps " + InvalidInputException.quote(text) + " is not a list of distinct TYPE:COUNT",
            "write e.g. caps=" + DEFAULT);
      }
    }
    return new Ec2Caps(out);
  }

  /**
   * The smallest of {@code sizes} (smallest first) that holds {@code vcpus} and {@code memoryMib}
   * and of which fewer than its cap run ({@code inUse} counts the instances per type).
   *
   * @throws DriverException REJECTED when no type holds it or every type that does is at its cap
   */
  static Ec2Connection.Size smallest(String uri, List<Ec2Connection.Size> sizes, Map<String, Integer> caps, int vcpus,
      long memoryMib, Map<String, Integer> inUse) {
    boolean fitsAny = false;
    for (Ec2Connection.Size s : sizes) {
      if (s.vcpus() >= vcpus && s.memoryMib() >= memoryMib) {
        fitsAny = true;
        if (inUse.getOrDefault(s.type(), 0) < caps.getOrDefault(s.type(), 0)) {
          return s;
        }
      }
    }
    if (!fitsAny) {
      throw new DriverException(DriverException.Kind.REJECTED, "no instance type in the caps of " + uri + " holds " + vcpus
          + " vCPUs and " + memoryMib + " MiB (types: " + sizes + ")");
    }
    throw new DriverException(DriverException.Kind.REJECTED, "every instance type at " + uri + " that holds " + vcpus
        + " vCPUs and " + memoryMib + " MiB is at its cap " + caps + " (running: " + inUse + ")");
  }
}
