package org.corral.drivers.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first {@code limit} bytes written and counts the rest, so output size is bounded. */
final class BoundedOutput extends OutputStream {
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final int limit;
  private long dropped;

  BoundedOutput(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void write(int b) {
    if (kept.size() < limit) {
      kept.write(b);
    } else {
      dropped++;
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int take = Math.max(0, Math.min(len, limit - kept.size()));
    kept.write(b, off, take);
    dropped += len - take;
  }

  /** What was kept, with a note when output was cut. */
  synchronized String text() {
    String s = kept.toString(StandardCharsets.UTF_8);
    return dropped == 0 ? s : s + "\n[corral: " + dropped + " more bytes of output dropped]";
  }
}
