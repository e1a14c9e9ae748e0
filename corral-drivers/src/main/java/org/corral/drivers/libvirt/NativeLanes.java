package org.corral.drivers.libvirt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.libvirt.LibvirtException;

/**
 * The native connections one {@link LibvirtConnection} makes its calls on. On a remote URI each
 * is <em>exclusive</em>: lent to one thread at a time, so no two threads are ever inside libvirt's
 * RPC client for the same {@code virConnect} at once. Calls that run together get a native
 * connection each, opened when needed (at most {@code max}; more wait for one to come back) and
 * kept for the next calls.
 *
 * <p>Why: libvirt 9.0's client crashes the process when two threads share a connection and it
 * drops while its daemon is silent (docs/real-hosts.md, "A frozen libvirtd"). The thread that
 * waits for the socket leaves a GLib watch behind whose data lives on its own stack; when
 * keepalive closes the connection, a second thread waiting on the same connection takes over
 * the wait, and the daemon's next byte (SIGCONT) fires the stale watch on a dead stack frame:
 * SIGSEGV in {@code virNetClientIOEventFD}, {@code g_main_loop_quit}. One thread per native
 * connection never hands a wait over.
 *
 * <p>libvirt's in-process {@code test:///} driver has no RPC client, and each of its connections
 * has a world of its own: it gets one shared connection, lent to every thread at once.
 */
final class NativeLanes {
  /** Opens one more native connection to the same URI (keepalive and close callback included). */
  @FunctionalInterface
  interface Opener {
    NativeConnect open() throws LibvirtException;
  }

  private final NativeConnect primary;
  private final boolean exclusive;
  private final int max;
  private final Opener opener;
  private final ArrayDeque<NativeConnect> idle = new ArrayDeque<>();
  private final List<NativeConnect> all = new ArrayList<>();
  /** Opens in progress: they count towards {@code max}. */
  private int opening;
  private boolean closed;

  /**
   * @param primary   the connection already open (it carries lifecycle events)
   * @param exclusive lend each connection to one thread at a time (every URI but in-process test:///)
   * @param max       native connections at most, the primary included
   */
  NativeLanes(NativeConnect primary, boolean exclusive, int max, Opener opener) {
    if (max < 1) {
      throw new IllegalArgumentException("need max >= 1");
    }
    this.primary = primary;
    this.exclusive = exclusive;
    this.max = max;
    this.opener = opener;
    all.add(primary);
    idle.add(primary);
  }

  /**
   * A native connection for the calling thread alone (blocking while {@code max} are lent, opening
   * one more when fewer are open); give it back with {@link #release}. Fails when closed.
   */
  NativeConnect borrow() throws LibvirtException, InterruptedException {
    NativeConnect c = borrow(true);
    if (c == null) {
      throw new IllegalStateException("connection closed");
    }
    return c;
  }

  /**
   * {@link #borrow} without waiting for another call to give one back: a free connection, or a new
   * one when fewer than {@code max} are open; null when all are lent or this is closed.
   */
  @Nullable NativeConnect tryBorrow() throws LibvirtException, InterruptedException {
    return borrow(false);
  }

  private @Nullable NativeConnect borrow(boolean wait) throws LibvirtException, InterruptedException {
    if (!exclusive) {
      return primary;
    }
    synchronized (this) {
      while (true) {
        if (closed) {
          return null;
        }
        NativeConnect c = idle.pollFirst();
        if (c != null) {
          return c;
        }
        if (all.size() + opening < max) {
          opening++;
          break;
        }
        if (!wait) {
          return null;
        }
        wait();
      }
    }
    NativeConnect opened = null;
    try {
      opened = opener.open();
      return opened;
    } finally {
      synchronized (this) {
        opening--;
        if (opened != null) {
          all.add(opened);
        }
        notifyAll();
      }
    }
  }

  /** Gives back what {@link #borrow} or {@link #tryBorrow} lent. */
  void release(NativeConnect c) {
    if (!exclusive) {
      return;
    }
    synchronized (this) {
      idle.addFirst(c);
      notifyAll();
    }
  }

  /** Lends nothing more; returns every native connection opened, primary first, for closing once no call runs. */
  synchronized List<NativeConnect> close() {
    closed = true;
    notifyAll();
    return List.copyOf(all);
  }

  /** Native connections opened so far (for tests). */
  synchronized int opened() {
    return all.size();
  }

  NativeConnect primary() {
    return primary;
  }
}
