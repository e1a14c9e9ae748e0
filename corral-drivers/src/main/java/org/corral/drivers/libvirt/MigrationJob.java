package org.corral.drivers.libvirt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.MigrationProgress;
import org.libvirt.Domain;
import org.libvirt.DomainJobInfo;
import org.libvirt.LibvirtException;

/**
 * One running live migration: the blocking {@code virDomainMigrateToURI} on one thread,
 * while the calling thread polls the job's progress and aborts it after the timeout. The
 * migration holds its native connection; progress and abort go through {@link OtherLane}, on
 * another one (two threads inside one may crash libvirt's client: see {@link NativeLanes}).
 * Elapsed time is measured with {@link System#nanoTime()}: this waits on a real migration of real
 * memory, which no injected clock could speed up, and the wait is bounded by the timeout.
 */
final class MigrationJob {
  private static final Duration POLL = Duration.ofMillis(500);

  private final Domain domain;
  private final String domainName;
  private final String uri;
  private final MigrationRequest request;
  private final Duration timeout;
  private final Consumer<MigrationProgress> progress;
  private final OtherLane other;

  /** Runs an action on a native connection other than the migration's ({@code wait}: for one to come free). */
  @FunctionalInterface
  interface OtherLane {
    boolean run(LibvirtConnection.LibvirtAction action, boolean wait) throws LibvirtException, InterruptedException;
  }

  MigrationJob(Domain domain, String domainName, String uri, MigrationRequest request, Duration timeout,
      Consumer<MigrationProgress> progress, OtherLane other) {
    this.domain = domain;
    this.domainName = domainName;
    this.uri = uri;
    this.request = request;
    this.timeout = timeout;
    this.progress = progress;
    this.other = other;
  }

  /** Blocks until the migration ends; throws DriverException (TIMEOUT after an abort). */
  void run(Executor executor) {
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      try {
        domain.migrateToURI(request.destinationUri(), request.flags(), null, request.bandwidthMibPerSec());
      } catch (LibvirtException e) {
        throw LibvirtErrors.map("migrate to " + LibvirtErrors.safeUri(request.destinationUri()), uri, domainName, e);
      }
    }, executor);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean aborted = false;
    while (true) {
      try {
        done.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        report();
        if (!aborted && System.nanoTime() - deadline > 0) {
          aborted = abort();
        }
      } catch (ExecutionException e) {
        if (aborted) {
          throw new DriverException(Kind.TIMEOUT, LibvirtErrors.describe("migrate", uri, domainName)
              + ": not finished within " + timeout + "; aborted, the domain stays on the source", e.getCause());
        }
        throw DriverException.of(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        throw new DriverException(Kind.TRANSIENT, LibvirtErrors.describe("migrate", uri, domainName)
            + ": interrupted; migration aborted", e);
      }
    }
  }

  /** Reports progress on a native connection had without waiting for another call; skips this poll otherwise. */
  private void report() {
    try {
      other.run(c -> {
        DomainJobInfo info = c.domainLookupByName(domainName).getJobInfo();
        if (info.getMemTotal() > 0) {
          progress.accept(new MigrationProgress(info.getMemProcessed(), info.getMemTotal()));
        }
      }, false);
    } catch (LibvirtException | RuntimeException ignored) {
      // Progress is informative; the migration's own result decides success.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean abort() {
    try {
      other.run(c -> c.domainLookupByName(domainName).abortJob(), true);
    } catch (LibvirtException | RuntimeException ignored) {
      // The job may have just finished; the migration's result tells.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
