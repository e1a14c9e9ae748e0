package org.corral.controller.ec2;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.corral.controller.api.TlsFiles;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * corral.yaml's {@code ec2} section.
 *
 * @param listen   host:port of the EC2 Query API, or null when it is off ({@code listen: off})
 * @param region   the one region this endpoint is; clients sign for it ({@code aws --region})
 * @param explicit whether corral.yaml set {@code listen}: then a port in use fails the start;
 *                 the default (127.0.0.1:8773) only warns, so that two Corrals on one machine
 *                 (tests, a second lab) still start
 * @param flavours the instance types offered (corral.yaml's top-level {@code flavours:}), at least one
 * @param tls      HTTPS for the listener ({@code ec2.tls}), or null for plain HTTP
 */
public record Ec2Settings(@Nullable String listen, String region, boolean explicit, List<Flavour> flavours, @Nullable Tls tls) {
  public static final String DEFAULT_LISTEN = "127.0.0.1:8773";
  public static final Ec2Settings DEFAULT = new Ec2Settings(DEFAULT_LISTEN, "corral-1", false);

  public Ec2Settings {
    flavours = flavours == null || flavours.isEmpty() ? Flavour.DEFAULTS : List.copyOf(flavours);
    if (region == null || !region.matches("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?")) {
      throw new InvalidInputException("ec2.region", InvalidInputException.quote(region) + " is not a region name",
          "lower-case letters, digits and dashes, e.g. corral-1");
    }
  }

  /** Plain HTTP with the default flavours. */
  public Ec2Settings(@Nullable String listen, String region, boolean explicit) {
    this(listen, region, explicit, Flavour.DEFAULTS, null);
  }

  /**
   * {@code ec2.tls}: a PEM certificate chain and its unencrypted PKCS#8 key, or a PKCS#12 key
   * store and its password (from passwordEnv or passwordFile; never shown by {@link #toString}).
   */
  public record Tls(@Nullable Path certificate, @Nullable Path key, @Nullable Path keystore, @Nullable String password) {
    public Tls {
      boolean pem = certificate != null || key != null;
      if (pem && keystore != null) {
        throw new InvalidInputException("ec2.tls.keystore", "cannot be combined with certificate and key", "give one or the other");
      }
      if (pem && (certificate == null || key == null)) {
        throw new InvalidInputException("ec2.tls", "needs both certificate and key",
            "tls: {certificate: /etc/corral/ec2.crt, key: /etc/corral/ec2.key}, or tls: {keystore: ec2.p12, passwordEnv: NAME}");
      }
      if (!pem && keystore == null) {
        throw new InvalidInputException("ec2.tls", "names no certificate", "give certificate and key (PEM), or keystore (PKCS#12)");
      }
    }

    /** The key store Jetty serves; reads the files (errors name ec2.tls's fields). */
    public KeyStore keyStore() {
      if (keystore != null) {
        return TlsFiles.pkcs12("ec2.tls", keystore, password == null ? "" : password);
      }
      return TlsFiles.keyStore("ec2.tls", java.util.Objects.requireNonNull(certificate), java.util.Objects.requireNonNull(key));
    }

    @Override
    public String toString() {
      return "Tls[certificate=" + certificate + ", key=" + key + ", keystore=" + keystore + (password == null ? "" : ", password=***") + "]";
    }
  }
}
