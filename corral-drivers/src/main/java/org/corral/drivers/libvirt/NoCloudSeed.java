package org.corral.drivers.libvirt;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cloud-init NoCloud data source as a CD image: volume label {@code cidata}, files
 * {@code user-data} (as given) and {@code meta-data} (instance id and host name). cloud-init finds
 * it by label at first boot.
 */
final class NoCloudSeed {
  static final String LABEL = "cidata";

  private NoCloudSeed() {}

  /** The ISO image bytes. {@code instanceId} changes make cloud-init run its per-instance steps again. */
  static byte[] iso(String instanceId, String hostname, String userData) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("meta-data", metaData(instanceId, hostname).getBytes(StandardCharsets.UTF_8));
    files.put("user-data", userData.getBytes(StandardCharsets.UTF_8));
    return Iso9660Image.write(LABEL, files);
  }

  /** YAML with both values quoted, so that a hostile host name cannot add keys. */
  static String metaData(String instanceId, String hostname) {
    return "instance-id: " + yamlQuoted(instanceId) + "\nlocal-hostname: " + yamlQuoted(hostname) + "\n";
  }

  private static String yamlQuoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
