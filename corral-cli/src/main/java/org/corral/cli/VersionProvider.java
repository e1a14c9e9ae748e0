package org.corral.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Maven project version, filtered into corral-version.properties at build time. */
final class VersionProvider implements IVersionProvider {
  private static final String RESOURCE = "/corral-version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"corral " + version()};
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    String v = p.getProperty("version", "");
    // Unfiltered (run from sources without Maven) the placeholder is still there.
    return v.isBlank() || v.startsWith("${") ? "dev" : v;
  }
}
