package org.corral.drivers.power.ipmi;

import java.nio.file.Path;
import java.util.Set;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A BMC to talk to, parsed from
 * {@code ipmi://admin@10.0.0.11:623?interface=lan&passwordFile=/etc/corral/bmc.pass} or
 * {@code ...?passwordEnv=CORRAL_BMC_PASSWORD}. Exactly one password source is required.
 *
 * @param cipher RMCP+ cipher suite id ({@code -C}), or null to let ipmitool negotiate
 */
record IpmiTarget(String host, int port, String user, IpmiInterface iface, @Nullable Integer cipher,
    PasswordSource password) {

  static final String EXAMPLE = "ipmi://admin@10.0.0.11:623?passwordFile=/etc/corral/bmc.pass";
  private static final Set<String> PARAMS = Set.of("interface", "passwordFile", "passwordEnv", "cipher");

  /** Parses an {@code ipmi://} URI; every problem names {@code field}. */
  public static IpmiTarget parse(String field, String raw) {
    DriverUri u = DriverUri.parse(field, raw, EXAMPLE).allowOnly(PARAMS);
    if (!u.scheme().equals("ipmi")) {
      throw new InvalidInputException(field, "scheme '" + u.scheme() + "' is not ipmi", "write it like " + EXAMPLE);
    }
    String host = u.requireHost("BMC");
    int port = u.portOr(623);
    String user = u.requireUser(EXAMPLE);
    return new IpmiTarget(host, port, user, iface(u), cipher(u), password(u));
  }

  private static IpmiInterface iface(DriverUri u) {
    String v = u.param("interface");
    if (v == null) {
      return IpmiInterface.LANPLUS;
    }
    return switch (v.strip().toLowerCase()) {
      case "lanplus" -> IpmiInterface.LANPLUS;
      case "lan" -> IpmiInterface.LAN;
      default -> throw new InvalidInputException(u.field(), "unknown IPMI interface '" + v + "'",
          "use interface=lanplus (IPMI 2.0, the default) or interface=lan (IPMI 1.5)");
    };
  }

  private static @Nullable Integer cipher(DriverUri u) {
    return u.param("cipher") == null ? null : u.intParam("cipher", 3, 0, 17);
  }

  private static PasswordSource password(DriverUri u) {
    String file = u.param("passwordFile");
    String env = u.param("passwordEnv");
    if (file != null) {
      if (env != null) {
        throw new InvalidInputException(u.field(), "both passwordFile and passwordEnv are given",
            "keep one of them");
      }
      if (file.isBlank() || !file.startsWith("/")) {
        throw new InvalidInputException(u.field(), "passwordFile '" + file + "' is not an absolute path",
            "write passwordFile=/etc/corral/bmc.pass");
      }
      return new PasswordSource.File(Path.of(file));
    }
    if (env == null) {
      throw new InvalidInputException(u.field(), "no BMC password source",
          "add passwordFile=/etc/corral/bmc.pass (a file readable only by corral) or passwordEnv=CORRAL_BMC_PASSWORD;"
              + " the password itself never goes in the URI");
    }
    if (!env.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new InvalidInputException(u.field(), "passwordEnv '" + env + "' is not an environment variable name",
          "write passwordEnv=CORRAL_BMC_PASSWORD");
    }
    return new PasswordSource.Env(env);
  }
}
