package org.corral.drivers.libvirt;

/** Lets tests in other packages check for libvirt the same way (fail on CI, skip elsewhere). */
public final class LibvirtTestSupport {
  private LibvirtTestSupport() {}

  public static void requireLibvirt() {
    TestHosts.requireLibvirt();
  }
}
