package org.corral.drivers.libvirt;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Where blocking libvirt calls run: daemon platform threads, one per call in flight, reused while
 * busy and retired after a minute idle.
 *
 * <p>Not virtual threads, on purpose: a libvirt call is a JNA downcall, and a virtual thread
 * blocked inside native code pins its carrier; the scheduler does not compensate, so as many hung
 * hosts as there are cores would stall every other host's calls (LibvirtDriverTest's hung-host
 * test fails with virtual threads on a 2-core machine). Callers still never block: they get a
 * CompletionStage.
 */
final class LibvirtThreads {
  private LibvirtThreads() {}

  static ExecutorService newExecutor(String name) {
    ThreadFactory f = Thread.ofPlatform().daemon().name(name + "-", 0).factory();
    return Executors.newCachedThreadPool(f);
  }
}
