package org.corral.drivers.libvirt;

import org.corral.drivers.DriverException;
import org.jspecify.annotations.Nullable;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide libvirt state: the native library, loaded once, and libvirt's default event
 * loop, run on one daemon thread. The loop must be registered before the first connection is
 * opened, or that connection gets neither lifecycle events, keepalive nor close callbacks.
 */
final class LibvirtRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtRuntime.class);
  private static @Nullable Throwable loadFailure;
  private static boolean started;

  private LibvirtRuntime() {}

  /**
   * Loads libvirt and starts the event loop if not done yet. Fails with UNSUPPORTED, naming the
   * Debian package, when the native library is missing.
   */
  static synchronized void ensureStarted() {
    if (started) {
      return;
    }
    if (loadFailure != null) {
      throw notLoadable(loadFailure);
    }
    try {
      Library.getVersion();
      // Records raw error codes (see LibvirtErrorCodes) and stops libvirt printing errors to stderr.
      Connect.setErrorCallback(LibvirtErrorCodes.CALLBACK);
      Library.initEventLoop();
    } catch (LinkageError | LibvirtException e) {
      loadFailure = e;
      throw notLoadable(e);
    }
    Thread loop = new Thread(LibvirtRuntime::runLoop, "libvirt-event-loop");
    // A platform thread: it blocks in poll(2) inside native code.
    loop.setDaemon(true);
    loop.start();
    started = true;
  }

  /** libvirt's library version as major * 1,000,000 + minor * 1,000 + release. */
  static long libraryVersion() {
    ensureStarted();
    try {
      return Library.getVersion();
    } catch (LibvirtException e) {
      throw new DriverException(DriverException.Kind.TRANSIENT, "libvirt version: " + e.getMessage(), e);
    }
  }

  private static void runLoop() {
    while (true) {
      try {
        Library.runEventLoop();
        return;
      } catch (InterruptedException e) {
        return;
      } catch (LibvirtException | RuntimeException e) {
        // One failed iteration (a callback that threw) must not stop events for every host.
        LOG.warn("libvirt event loop iteration failed: {}", e.getMessage());
      }
    }
  }

  private static DriverException notLoadable(Throwable e) {
    return new DriverException(DriverException.Kind.UNSUPPORTED,
        "the libvirt native library (libvirt.so.0) could not be loaded: " + e
            + "; install the Debian package libvirt0 (apt-get install libvirt0)", e);
  }
}
