package org.corral.drivers.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;

/**
 * A {@link Connect} that exposes its native pointer to {@link LibvirtNative}, for the few calls the
 * Java binding lacks (node CPU statistics, volume upload). Opens read-write without interactive
 * authentication: remote hosts are reached with SSH keys or TLS certificates, never a password.
 */
final class NativeConnect extends Connect {
  NativeConnect(String uri) throws LibvirtException {
    super(uri, false);
  }

  ConnectionPointer pointer() {
    return vcp;
  }
}
