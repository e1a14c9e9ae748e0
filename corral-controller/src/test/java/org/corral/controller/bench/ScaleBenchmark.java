package org.corral.controller.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.corral.controller.boot.CorralRuntime;
import org.corral.controller.config.ConfigReader;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.time.SystemClock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;

/**
 * Issue 22's scale run, on real time: a whole Corral (as `corral up` starts it) on a simulated lab
 * of H hosts with instant latencies, N VMs created through the public HTTP API in bulk requests
 * from two client threads, until every VM is RUNNING. Meanwhile a third thread times a GET of one
 * VM and of one page of 50. Reports wall time, VMs/s, the controller loop thread's CPU per VM (and
 * the whole process's, clients included), peak heap, heap per VM and per host after GC, store size
 * on disk and the read latencies. Run with bench/scale.
 */
public final class ScaleBenchmark {
  public static void main(String[] args) throws Exception {
    int hostCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int vmCount = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    String storeKind = args.length > 2 ? args[2] : "memory";
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    // Room for the VMs with a third to spare: 1 vCPU / 1 GiB each (no CPU overcommit by default).
    int perHost = (int) Math.ceil(vmCount * 1.5 / hostCount);
    Path home = Files.createTempDirectory("corral-scale");
    String yaml = """
        controller: {monitorPeriod: 5s, schedulerPeriod: 1s, connectTimeout: 10s}
        api: {listen: "127.0.0.1:0", readTimeout: 5m}
        executor: {maxConcurrent: 100000, maxPerHost: 10000}
        optimizer: {automation: off}
        journal: {maxEntries: 100000000}
        %s
        lab:
          name: scale
          stateFile: false
          latencies: {define: 0s, boot: 0s, shutdown: 0s, migrationBase: 0s, powerOn: 0s, powerOff: 0s}
          hosts:
            - {prefix: h, count: %d, cores: %d, mhz: 2600, memoryMib: %d}
        """.formatted(storeSection(storeKind), hostCount, perHost,
        (long) perHost * 1024);
    System.out.printf("# scale: %,d hosts, %,d VMs, store %s, bulk %d, %d cores, java %s, max heap %,d MiB%n", hostCount, vmCount,
        storeKind, batch, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    SystemClock clock = new SystemClock("corral-loop");
    CorralRuntime corral = CorralRuntime.start(ConfigReader.parse(yaml, "bench/scale", System.getenv()), home, clock, d -> {});
    String base = "http://127.0.0.1:" + corral.port() + "/api/v1";
    // The admin token the first start wrote, as the CLI would use it.
    String bearer = "Bearer " + org.corral.controller.api.TestTokens.admin(home);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long loopThread = threadId("corral-loop");
    try {
      long t0 = System.nanoTime();
      await("every host UP and read", Duration.ofMinutes(10), () -> corral.controller().call(() -> {
        for (Host h : corral.controller().state().hosts()) {
          if (h.state() != HostState.UP || corral.controller().state().observation(h.name()).lastAnswer() == null) {
            return false;
          }
        }
        return true;
      }));
      System.out.printf("hosts: %,d UP and read in %,.1f s%n", hostCount, (System.nanoTime() - t0) / 1e9);
      long hostsHeap = heapAfterGc();
      resetPeaks();

      long cpuLoop0 = threads.getThreadCpuTime(loopThread);
      long storeThread = threadId("corral-store"); // started by the first write (the hosts')
      long cpuStore0 = threads.getThreadCpuTime(storeThread);
      long cpuProc0 = processCpu();
      long start = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      List<Long> getOne = Collections.synchronizedList(new ArrayList<>());
      List<Long> getPage = Collections.synchronizedList(new ArrayList<>());
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        senders.add(Thread.ofPlatform().name("scale-client-" + t).start(() -> {
          for (int from; (from = next.getAndAdd(batch)) < vmCount; ) {
            StringJoiner body = new StringJoiner(",", "[", "]");
            for (int i = from; i < Math.min(vmCount, from + batch); i++) {
              body.add("{\"name\":\"v" + i + "\",\"cpus\":1,\"memoryMib\":1024}");
            }
            HttpResponse<String> r = send(http, HttpRequest.newBuilder().header("Authorization", bearer).uri(URI.create(base + "/vms"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
            if (r.statusCode() != 201) {
              throw new IllegalStateException("POST /vms -> " + r.statusCode() + " " + r.body());
            }
          }
        }));
      }
      // Reads are sampled every 100 ms by a timer, not by a sleeping thread.
      ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "scale-reader"));
      SplittableRandom rnd = new SplittableRandom(42);
      reader.scheduleWithFixedDelay(() -> {
        int created = Math.max(1, Math.min(vmCount, next.get() - batch));
        long a = System.nanoTime();
        send(http, HttpRequest.newBuilder().header("Authorization", bearer).uri(URI.create(base + "/vms/v" + rnd.nextInt(created))).GET().build());
        long b = System.nanoTime();
        HttpResponse<String> page = send(http, HttpRequest.newBuilder().header("Authorization", bearer).uri(URI.create(base + "/vms?limit=50&after=v" + rnd.nextInt(created))).GET().build());
        long c = System.nanoTime();
        getOne.add(b - a);
        getPage.add(c - b);
        if (page.statusCode() != 200) {
          throw new IllegalStateException("GET page -> " + page.statusCode());
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      long[] createdAt = {0};
      long[] lastPrint = {System.nanoTime()};
      await("every VM RUNNING", Duration.ofMinutes(30), () -> {
        int running = 0;
        int total = 0;
        for (Vm v : corral.controller().state().published().vms().values()) {
          total++;
          if (v.state() == VmState.RUNNING) {
            running++;
          }
        }
        if (createdAt[0] == 0 && senders.stream().noneMatch(Thread::isAlive)) {
          createdAt[0] = System.nanoTime();
        }
        if (System.nanoTime() - lastPrint[0] > 5e9) {
          lastPrint[0] = System.nanoTime();
          System.out.printf("  %5.1f s: %,d created, %,d running, heap %,d MiB%n", (lastPrint[0] - start) / 1e9, total, running,
              (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
        return running == vmCount;
      });
      long end = System.nanoTime();
      if (createdAt[0] == 0) {
        createdAt[0] = end; // the last answer and the last VM RUNNING came within one poll
      }
      reader.shutdown();
      if (!reader.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the reader did not stop");
      }
      long cpuLoop = threads.getThreadCpuTime(loopThread) - cpuLoop0;
      long cpuStore = threads.getThreadCpuTime(storeThread) - cpuStore0;
      long cpuProc = processCpu() - cpuProc0;
      long peak = peakHeap();
      long vmsHeap = heapAfterGc();
      double wall = (end - start) / 1e9;
      System.out.printf("created (API answered) in %,.1f s; all RUNNING after %,.1f s: %,.0f VMs/s%n", (createdAt[0] - start) / 1e9, wall,
          vmCount / wall);
      System.out.printf("CPU per VM: controller loop %,.1f µs, store writer %,.1f µs, whole process (clients included) %,.1f µs%n",
          cpuLoop / 1e3 / vmCount, cpuStore / 1e3 / vmCount, cpuProc / 1e3 / vmCount);
      System.out.printf("heap: peak %,d MiB; after GC %,d MiB with hosts only, %,d MiB with the VMs: %,d bytes per host, %,d per VM%n",
          peak >> 20, hostsHeap >> 20, vmsHeap >> 20, hostsHeap / hostCount, (vmsHeap - hostsHeap) / vmCount);
      System.out.printf("store on disk: %s; journal %,d entries%n", switch (storeKind) {
            case "memory" -> "none (memory)";
            case "postgres" -> "in PostgreSQL (SELECT pg_size_pretty(pg_database_size(...)))";
            default -> mib(size(home));
          },
          corral.controller().state().store().lastSeq());
      var st = corral.controller().state();
      long[] commits = corral.controller().call(() -> new long[] {st.flushes(), st.joinedTransactions()});
      System.out.printf("group commit: %,d database commits for %,d changes (%.1f per commit)%n", commits[0], commits[1],
          commits[1] / (double) Math.max(1, commits[0]));
      System.out.printf("GET /vms/NAME while loading: %s; GET /vms?limit=50: %s%n", percentiles(getOne), percentiles(getPage));
    } finally {
      corral.close();
      clock.close();
      http.close();
      deleteTree(home);
    }
  }

  /**
   * memory, h2 (the embedded default) or postgres: the database at CORRAL_BENCH_PG_URL as
   * CORRAL_BENCH_PG_USER, password in CORRAL_BENCH_PG_PASSWORD (an empty database: the run fills it).
   */
  private static String storeSection(String kind) {
    return switch (kind) {
      case "memory" -> "store: {url: \"memory:\"}";
      case "h2" -> "";
      case "postgres" -> "store: {url: \"" + requireEnv("CORRAL_BENCH_PG_URL") + "\", user: \"" + requireEnv("CORRAL_BENCH_PG_USER")
          + "\", passwordEnv: CORRAL_BENCH_PG_PASSWORD}";
      default -> throw new IllegalArgumentException("store must be memory, h2 or postgres, not " + kind);
    };
  }

  private static String requireEnv(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("set " + name + " for the postgres store (see bench/scale)");
    }
    return v;
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(r.method() + " " + r.uri() + ": " + e, e);
    }
  }

  private static String percentiles(List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    if (s.isEmpty()) {
      return "no sample";
    }
    return String.format("median %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)", s.get(s.size() / 2) / 1e6,
        s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))) / 1e6, s.getLast() / 1e6, s.size());
  }

  /** A bounded wait polling {@code done} every 200 ms (Awaitility): fails naming what it waited for. */
  static void await(String what, Duration max, java.util.concurrent.Callable<Boolean> done) {
    Awaitility.await(what).atMost(max).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(done);
  }

  /** The id of the live thread named {@code name} (the controller loop's, for its CPU time). */
  static long threadId(String name) {
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      if (t.getThreadName().equals(name)) {
        return t.getThreadId();
      }
    }
    throw new IllegalStateException("no thread named " + name);
  }

  static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long size(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static String mib(long bytes) {
    return String.format("%,.1f MiB", bytes / 1048576.0);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
