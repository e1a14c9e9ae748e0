package org.corral.drivers.libvirt;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Rejects a {@link DomainSpec} that libvirt or the host's file system could not take, before
 * anything on the host is touched. Names end up in volume file names, so no slashes or controls.
 */
final class DomainSpecCheck {
  private static final Pattern TARGET = Pattern.compile("(vd|sd|hd|xvd)[a-z]{1,2}");
  private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
  private static final Pattern FORMAT = Pattern.compile("qcow2|raw");

  private DomainSpecCheck() {}

  static void check(DomainSpec s) {
    if (s.name() == null || s.name().isBlank() || s.name().length() > 100 || s.name().startsWith(".")
        || s.name().chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))) {
      throw new InvalidInputException("spec.name", "'" + s.name() + "' cannot name a domain and its volumes",
          "use 1-100 characters without '/', '\\', control characters or a leading '.'");
    }
    try {
      UUID.fromString(s.uuid());
    } catch (RuntimeException e) {
      throw new InvalidInputException("spec.uuid", "'" + s.uuid() + "' is not a UUID",
          "give a UUID such as 6695eb01-f6a4-8304-79aa-97f2502e193f");
    }
    if (s.vcpus() < 1) {
      throw new InvalidInputException("spec.vcpus", "must be at least 1, was " + s.vcpus(), "give 1 or more vCPUs");
    }
    if (s.memoryMib() < 1) {
      throw new InvalidInputException("spec.memoryMib", "must be at least 1, was " + s.memoryMib(), "give memory in MiB");
    }
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < s.disks().size(); i++) {
      DomainSpec.Disk d = s.disks().get(i);
      String f = "spec.disks[" + i + "]";
      requireText(f + ".pool", d.pool());
      requireText(f + ".baseVolume", d.baseVolume());
      if (d.target() == null || !TARGET.matcher(d.target()).matches() || !targets.add(d.target())) {
        throw new InvalidInputException(f + ".target", "'" + d.target() + "' is not a free device name",
            "use a distinct name such as vda, vdb, sda or xvda");
      }
      if (d.format() == null || !FORMAT.matcher(d.format()).matches()) {
        throw new InvalidInputException(f + ".format", "'" + d.format() + "' is not a base image format",
            "use qcow2 or raw");
      }
      if (d.sizeGib() < 1) {
        throw new InvalidInputException(f + ".sizeGib", "must be at least 1, was " + d.sizeGib(),
            "give the overlay's size in GiB (at least the base image's)");
      }
    }
    for (int i = 0; i < s.nics().size(); i++) {
      DomainSpec.Nic n = s.nics().get(i);
      String f = "spec.nics[" + i + "]";
      if (blank(n.network()) && blank(n.bridge())) {
        throw new InvalidInputException(f, "has neither a network nor a bridge", "name a libvirt network or a host bridge");
      }
      if (n.mac() != null && !MAC.matcher(n.mac()).matches()) {
        throw new InvalidInputException(f + ".mac", "'" + n.mac() + "' is not a MAC address",
            "write it as 52:54:00:xx:xx:xx");
      }
    }
    if (s.boot() != null) {
      requirePath("spec.boot.kernel", s.boot().kernel(), true);
      requirePath("spec.boot.initrd", s.boot().initrd(), false);
      String cmdline = s.boot().cmdline();
      if (cmdline != null && (cmdline.length() > 2048 || cmdline.chars().anyMatch(Character::isISOControl))) {
        throw new InvalidInputException("spec.boot.cmdline", "is not a kernel command line",
            "use at most 2048 printable characters on one line");
      }
    }
    if (s.userData() != null && s.disks().isEmpty()) {
      throw new InvalidInputException("spec.userData", "needs a disk: the seed ISO is stored in the first disk's pool",
          "add a disk or drop userData");
    }
  }

  private static void requirePath(String field, @Nullable String path, boolean required) {
    if (path == null && !required) {
      return;
    }
    if (path == null || !path.startsWith("/") || path.contains("/../") || path.endsWith("/..")
        || path.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException(field, "'" + path + "' is not an absolute path on the host",
          "give the file's absolute path, e.g. /var/lib/libvirt/boot/vmlinuz");
    }
  }

  private static void requireText(String field, String value) {
    if (blank(value) || value.contains("/")) {
      throw new InvalidInputException(field, "'" + value + "' is not a pool or volume name", "give the name libvirt shows");
    }
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
