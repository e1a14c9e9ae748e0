package org.corral.drivers.guest.agent;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.corral.model.InvalidInputException;

/**
 * Where a guest-agent command goes: a domain on a libvirt host. Written
 * {@code qemu-ga://<url-encoded host URI>#<url-encoded domain>}, e.g.
 * {@code qemu-ga://qemu%2Bssh%3A%2F%2Froot%40node1%2Fsystem#web-1}.
 */
record AgentTarget(String hostUri, String domain) {
  public static final String SCHEME = "qemu-ga";
  private static final String PREFIX = SCHEME + "://";

  public static AgentTarget parse(String field, String target) {
    if (target == null || !target.startsWith(PREFIX) || target.indexOf('#') < 0) {
      throw new InvalidInputException(field, "'" + target + "' is not a guest-agent target",
          "write qemu-ga://<url-encoded libvirt URI>#<domain>, e.g. " + new AgentTarget("qemu+ssh://root@node1/system", "web-1").uri());
    }
    int hash = target.lastIndexOf('#');
    String host = URLDecoder.decode(target.substring(PREFIX.length(), hash), StandardCharsets.UTF_8);
    String domain = URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
    if (host.isBlank() || domain.isBlank() || !host.contains("://")) {
      throw new InvalidInputException(field, "'" + target + "' lacks a host URI or a domain",
          "write qemu-ga://<url-encoded libvirt URI>#<domain>");
    }
    return new AgentTarget(host, domain);
  }

  /** This target as a URI string. */
  public String uri() {
    return PREFIX + URLEncoder.encode(hostUri, StandardCharsets.UTF_8) + "#" + URLEncoder.encode(domain, StandardCharsets.UTF_8);
  }
}
