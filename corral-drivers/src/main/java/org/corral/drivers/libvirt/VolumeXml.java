package org.corral.drivers.libvirt;

import org.w3c.dom.Element;

/** Renders storage volume XML: qcow2 overlays on a base image and the raw seed ISO volume. Pure. */
final class VolumeXml {
  private VolumeXml() {}

  /** The overlay's name: {@code <domain>-<target>.qcow2}, e.g. {@code web-1-vda.qcow2}. */
  static String overlayName(String domain, String target) {
    return domain + "-" + target + ".qcow2";
  }

  /** The cloud-init seed's name: {@code <domain>-seed.iso}. */
  static String seedName(String domain) {
    return domain + "-seed.iso";
  }

  /**
   * A qcow2 volume of {@code sizeGib} whose reads fall through to {@code basePath} until written:
   * the VM gets its own disk without copying the image.
   */
  static String overlay(String name, long sizeGib, String basePath, String baseFormat) {
    XmlWriter x = XmlWriter.create();
    Element vol = x.root("volume");
    vol.setAttribute("type", "file");
    x.text(vol, "name", name);
    x.text(vol, "capacity", Long.toString(sizeGib)).setAttribute("unit", "GiB");
    x.text(vol, "allocation", "0").setAttribute("unit", "bytes");
    Element target = x.child(vol, "target");
    x.empty(target, "format", "type", "qcow2");
    Element backing = x.child(vol, "backingStore");
    x.text(backing, "path", basePath);
    x.empty(backing, "format", "type", baseFormat);
    return x.serialize();
  }

  /** A raw volume exactly {@code bytes} long, to receive the seed ISO's content. */
  static String raw(String name, long bytes) {
    XmlWriter x = XmlWriter.create();
    Element vol = x.root("volume");
    vol.setAttribute("type", "file");
    x.text(vol, "name", name);
    x.text(vol, "capacity", Long.toString(bytes)).setAttribute("unit", "bytes");
    Element target = x.child(vol, "target");
    x.empty(target, "format", "type", "raw");
    return x.serialize();
  }
}
