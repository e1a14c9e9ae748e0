package org.corral.drivers.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.jspecify.annotations.Nullable;
import org.libvirt.jna.ConnectionPointer;

/**
 * Direct JNA calls for what {@code org.libvirt:libvirt} 0.5.2 does not bind:
 * {@code virNodeGetCPUStats} and {@code virStorageVolUpload} with its stream. Errors are read with
 * {@code virGetLastErrorCode}/{@code virGetLastErrorMessage} right after the failing call, on the
 * same thread: libvirt keeps the last error per OS thread, and these calls run on platform
 * threads (see {@link LibvirtThreads}).
 */
final class LibvirtNative {
  /** {@code VIR_NODE_CPU_STATS_ALL_CPUS}. */
  private static final int ALL_CPUS = -1;
  /** {@code sizeof(virNodeCPUStats)}: char field[80] then unsigned long long value. */
  private static final int CPU_STATS_SIZE = 88;
  private static final int FIELD_LENGTH = 80;
  private static final int VIR_ERR_NO_SUPPORT = 3;
  private static final int VIR_ERR_OPERATION_UNSUPPORTED = 84;

  interface Virt extends Library {
    int virNodeGetCPUStats(ConnectionPointer conn, int cpuNum, @Nullable Pointer params, IntByReference nparams, int flags);

    Pointer virStorageVolLookupByPath(ConnectionPointer conn, String path);

    Pointer virDomainLookupByUUIDString(ConnectionPointer conn, String uuid);

    int virDomainGetState(Pointer dom, IntByReference state, IntByReference reason, int flags);

    int virDomainFree(Pointer dom);

    int virStorageVolFree(Pointer vol);

    Pointer virStreamNew(ConnectionPointer conn, int flags);

    int virStorageVolUpload(Pointer vol, Pointer stream, long offset, long length, int flags);

    int virStreamSend(Pointer stream, byte[] data, NativeLong nbytes);

    int virStreamFinish(Pointer stream);

    int virStreamAbort(Pointer stream);

    int virStreamFree(Pointer stream);

    int virGetLastErrorCode();

    int virEventAddTimeout(int timeoutMs, TimeoutCallback cb, @Nullable Pointer opaque, @Nullable Pointer freecb);

    int virEventRemoveTimeout(int timer);

    String virGetLastErrorMessage();
  }

  /** {@code virEventTimeoutCallback}. */
  interface TimeoutCallback extends com.sun.jna.Callback {
    void callback(int timer, Pointer opaque);
  }

  /** Callbacks handed to libvirt, kept reachable until they ran (JNA does not hold them). */
  private static final java.util.Set<TimeoutCallback> PENDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Runs {@code task} once on libvirt's event-loop thread, where event callbacks run too, so the
   * task never overlaps a callback (used to close connections without racing their events).
   */
  static void onEventLoop(Runnable task) {
    Virt v = Holder.VIRT;
    TimeoutCallback cb = new TimeoutCallback() {
      @Override
      public void callback(int timer, Pointer opaque) {
        v.virEventRemoveTimeout(timer);
        try {
          task.run();
        } finally {
          PENDING.remove(this);
        }
      }
    };
    PENDING.add(cb);
    if (v.virEventAddTimeout(0, cb, null, null) < 0) {
      PENDING.remove(cb);
      task.run();
    }
  }

  private static final class Holder {
    static final Virt VIRT = Native.load("virt", Virt.class);
  }

  private LibvirtNative() {}

  /**
   * Host CPU busy time (kernel + user) summed over all CPUs, in nanoseconds, or -1 when the driver
   * cannot tell.
   */
  static long hostBusyNanos(NativeConnect conn) {
    Virt v = Holder.VIRT;
    IntByReference n = new IntByReference(0);
    if (v.virNodeGetCPUStats(conn.pointer(), ALL_CPUS, null, n, 0) < 0 || n.getValue() <= 0) {
      return -1;
    }
    Memory params = new Memory((long) n.getValue() * CPU_STATS_SIZE);
    params.clear();
    if (v.virNodeGetCPUStats(conn.pointer(), ALL_CPUS, params, n, 0) < 0) {
      return -1;
    }
    long busy = 0;
    boolean found = false;
    for (int i = 0; i < n.getValue(); i++) {
      long base = (long) i * CPU_STATS_SIZE;
      String field = params.getString(base);
      if (field.length() > FIELD_LENGTH) {
        field = field.substring(0, FIELD_LENGTH);
      }
      if (field.equals("kernel") || field.equals("user")) {
        busy += params.getLong(base + FIELD_LENGTH);
        found = true;
      }
    }
    return found ? busy : -1;
  }

  /**
   * Writes {@code data} into the volume at {@code path} through a libvirt stream (works over
   * remote connections: the bytes travel inside the libvirt protocol).
   */
  /** {@code VIR_DOMAIN_SHUTOFF_CRASHED}: the reason libvirt gives a domain whose QEMU died under it. */
  static final int SHUTOFF_CRASHED = 3;

  /**
   * The reason libvirt gives for domain {@code uuid}'s current state ({@code virDomainGetState}, which
   * the Java binding lacks), or -1 when it cannot tell (the domain vanished meanwhile).
   */
  static int stateReason(NativeConnect conn, String uuid) {
    Virt v = Holder.VIRT;
    Pointer dom = v.virDomainLookupByUUIDString(conn.pointer(), uuid);
    if (dom == null) {
      return -1;
    }
    try {
      IntByReference state = new IntByReference();
      IntByReference reason = new IntByReference();
      return v.virDomainGetState(dom, state, reason, 0) < 0 ? -1 : reason.getValue();
    } finally {
      v.virDomainFree(dom);
    }
  }

  static void upload(NativeConnect conn, String uri, String path, byte[] data) {
    Virt v = Holder.VIRT;
    Pointer vol = v.virStorageVolLookupByPath(conn.pointer(), path);
    if (vol == null) {
      throw lastError(v, "upload to volume " + path, uri);
    }
    Pointer st = null;
    try {
      st = v.virStreamNew(conn.pointer(), 0);
      if (st == null) {
        throw lastError(v, "upload to volume " + path, uri);
      }
      if (v.virStorageVolUpload(vol, st, 0, data.length, 0) < 0) {
        throw lastError(v, "upload to volume " + path, uri);
      }
      int off = 0;
      while (off < data.length) {
        int len = Math.min(256 * 1024, data.length - off);
        byte[] chunk = java.util.Arrays.copyOfRange(data, off, off + len);
        int sent = v.virStreamSend(st, chunk, new NativeLong(len));
        if (sent < 0) {
          DriverException e = lastError(v, "upload to volume " + path, uri);
          v.virStreamAbort(st);
          throw e;
        }
        off += sent;
      }
      if (v.virStreamFinish(st) < 0) {
        throw lastError(v, "upload to volume " + path, uri);
      }
    } finally {
      if (st != null) {
        v.virStreamFree(st);
      }
      v.virStorageVolFree(vol);
    }
  }

  private static DriverException lastError(Virt v, String op, String uri) {
    int code = v.virGetLastErrorCode();
    String msg = v.virGetLastErrorMessage();
    Kind kind = code == VIR_ERR_NO_SUPPORT || code == VIR_ERR_OPERATION_UNSUPPORTED ? Kind.UNSUPPORTED : Kind.TRANSIENT;
    return new DriverException(kind, op + " on " + LibvirtErrors.safeUri(uri) + ": " + LibvirtErrors.redact(msg, uri));
  }
}
