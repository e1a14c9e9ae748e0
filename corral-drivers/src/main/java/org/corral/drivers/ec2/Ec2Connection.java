package org.corral.drivers.ec2;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostFacts;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.hypervisor.MigrationProgress;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * One EC2-compatible endpoint as a host. A domain is an instance tagged {@link #TAG_DOMAIN} with
 * its name (instances without the tag are not Corral's and are never listed or touched). Define
 * only remembers the spec (EC2 has no defined-but-never-run instance); start runs it with the
 * smallest capped type that holds it and has room; shutdown and destroy stop it; undefine
 * terminates it. The host's capacity is the sum of the caps' types.
 */
final class Ec2Connection implements HypervisorConnection {
  static final String TAG_DOMAIN = "corral-domain";
  static final String TAG_UUID = "corral-uuid";

  /** An instance type's size as the endpoint describes it. */
  record Size(String type, int vcpus, long memoryMib) {}

  private final String uri;
  private final String hostname;
  private final Ec2Client ec2;
  private final Executor executor;
  private final List<Size> sizes; // the capped types, smallest first
  private final Map<String, Integer> caps;
  private final int mhz;
  /** Specs defined and not yet run, by domain; the driver's, per URI, so that a reconnect keeps them. */
  private final Map<String, DomainSpec> defined;
  private volatile boolean alive = true;
  private final Object starting = new Object();

  Ec2Connection(String uri, String hostname, Ec2Client ec2, Executor executor, Ec2Caps caps, int mhz,
      Map<String, DomainSpec> defined) {
    this.defined = defined;
    this.uri = uri;
    this.hostname = hostname;
    this.ec2 = ec2;
    this.executor = executor;
    this.caps = caps.perType();
    this.mhz = mhz;
    Map<String, InstanceTypeInfo> known = new HashMap<>();
    for (InstanceTypeInfo t : call(() -> ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings(caps.perType().keySet())))
        .instanceTypes()) {
      known.put(t.instanceTypeAsString(), t);
    }
    List<Size> out = new ArrayList<>();
    for (String type : caps.perType().keySet()) {
      InstanceTypeInfo t = known.get(type);
      if (t == null || t.vCpuInfo() == null || t.memoryInfo() == null) {
        throw new DriverException(DriverException.Kind.REJECTED, "the endpoint of " + uri + " does not offer instance type " + type
            + " (caps name it); DescribeInstanceTypes lists " + known.keySet());
      }
      out.add(new Size(type, t.vCpuInfo().defaultVCpus(), t.memoryInfo().sizeInMiB()));
    }
    out.sort(Comparator.comparingInt(Size::vcpus).thenComparingLong(Size::memoryMib));
    this.sizes = List.copyOf(out);
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public boolean isAlive() {
    return alive;
  }

  private <T> CompletionStage<T> async(Supplier<T> body) {
    return CompletableFuture.supplyAsync(() -> call(body), executor);
  }

  /** Runs one EC2 call, turning the SDK's errors into DriverExceptions (the endpoint's message, never the secret). */
  private <T> T call(Supplier<T> body) {
    try {
      T t = body.get();
      alive = true;
      return t;
    } catch (Ec2Exception e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      String message = "EC2 endpoint " + uri + ": " + code + ": " + (e.awsErrorDetails() == null ? e.getMessage()
          : e.awsErrorDetails().errorMessage());
      DriverException.Kind kind = code.startsWith("Auth") || code.contains("Signature") || code.equals("UnauthorizedOperation")
          ? DriverException.Kind.AUTH
          : code.endsWith("NotFound") ? DriverException.Kind.NOT_FOUND
          : e.statusCode() >= 500 || code.equals("RequestLimitExceeded") ? DriverException.Kind.TRANSIENT
          : DriverException.Kind.REJECTED;
      throw new DriverException(kind, message, e);
    } catch (SdkClientException e) {
      alive = false;
      throw new DriverException(DriverException.Kind.UNREACHABLE, "EC2 endpoint " + uri + " did not answer: " + e.getMessage(), e);
    }
  }

  /** Corral's instances at the endpoint that are not terminated (or terminating), by domain name. */
  private Map<String, Instance> instances() {
    Map<String, Instance> out = new HashMap<>();
    ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name("tag-key").values(TAG_DOMAIN).build()))
        .reservations().forEach(r -> r.instances().forEach(i -> {
          String name = tag(i, TAG_DOMAIN);
          InstanceStateName s = i.state() == null ? InstanceStateName.UNKNOWN_TO_SDK_VERSION : i.state().name();
          if (name != null && s != InstanceStateName.TERMINATED && s != InstanceStateName.SHUTTING_DOWN) {
            out.put(name, i);
          }
        }));
    return out;
  }

  private static @Nullable String tag(Instance i, String key) {
    for (Tag t : i.tags()) {
      if (key.equals(t.key())) {
        return t.value();
      }
    }
    return null;
  }

  private @Nullable Size size(String type) {
    return sizes.stream().filter(s -> s.type().equals(type)).findFirst().orElse(null);
  }

  private DomainStatus status(String name, Instance i) {
    Size s = size(i.instanceTypeAsString());
    InstanceStateName st = i.state() == null ? InstanceStateName.UNKNOWN_TO_SDK_VERSION : i.state().name();
    DomainState state = switch (st) {
      case PENDING, RUNNING -> DomainState.RUNNING;
      case STOPPING -> DomainState.SHUTDOWN;
      default -> DomainState.SHUTOFF;
    };
    String uuid = tag(i, TAG_UUID);
    return new DomainStatus(name, uuid == null ? i.instanceId() : uuid, state, true, s == null ? 0 : s.vcpus(),
        s == null ? 0 : s.memoryMib(), 0);
  }

  private List<DomainStatus> statuses() {
    Map<String, Instance> running = instances();
    List<DomainStatus> out = new ArrayList<>();
    running.forEach((name, i) -> out.add(status(name, i)));
    defined.forEach((name, spec) -> {
      if (!running.containsKey(name)) {
        out.add(new DomainStatus(name, spec.uuid(), DomainState.SHUTOFF, true, spec.vcpus(), spec.memoryMib(), 0));
      }
    });
    return out;
  }

  @Override
  public CompletionStage<HostFacts> facts() {
    int cores = 0;
    long memory = 0;
    for (Size s : sizes) {
      int n = caps.getOrDefault(s.type(), 0);
      cores += n * s.vcpus();
      memory += n * s.memoryMib();
    }
    return CompletableFuture.completedFuture(new HostFacts(hostname, "EC2", 0, cores, mhz, memory, "ec2 " + caps));
  }

  @Override
  public CompletionStage<List<DomainStatus>> domains() {
    return async(this::statuses);
  }

  @Override
  public CompletionStage<Optional<DomainStatus>> domain(String name) {
    return async(() -> statuses().stream().filter(d -> d.name().equals(name)).findFirst());
  }

  @Override
  public CompletionStage<HostStats> stats() {
    return async(() -> {
      long total = 0;
      long used = 0;
      Map<String, Long> cpu = new HashMap<>();
      for (Size s : sizes) {
        total += caps.getOrDefault(s.type(), 0) * s.memoryMib();
      }
      for (DomainStatus d : statuses()) {
        if (d.state().isActive()) {
          used += d.memoryMib();
          cpu.put(d.name(), 0L);
        }
      }
      // EC2 does not report guest CPU time through this API: utilisation reads as 0.
      return new HostStats(cpu, -1, Math.max(0, total - used), System.nanoTime());
    });
  }

  @Override
  public CompletionStage<Void> define(DomainSpec spec) {
    return async(() -> {
      typeFor(spec, Map.of()); // refuse at define what no capped type can ever hold
      defined.put(spec.name(), spec);
      return null;
    });
  }

  Size typeFor(DomainSpec spec, Map<String, Integer> inUse) {
    return Ec2Caps.smallest(uri, sizes, caps, spec.vcpus(), spec.memoryMib(), inUse);
  }

  @Override
  public CompletionStage<Void> start(String name) {
    return async(() -> {
      synchronized (starting) { // caps are counted then used: one start at a time per endpoint
        Map<String, Instance> all = instances();
        Instance existing = all.get(name);
        if (existing != null) {
          InstanceStateName s = existing.state() == null ? InstanceStateName.UNKNOWN_TO_SDK_VERSION : existing.state().name();
          if (s == InstanceStateName.STOPPED) {
            ec2.startInstances(b -> b.instanceIds(existing.instanceId()));
          }
          return null;
        }
        DomainSpec spec = defined.get(name);
        if (spec == null) {
          throw new DriverException(DriverException.Kind.NOT_FOUND, "domain " + name + " is not defined at " + uri);
        }
        Map<String, Integer> inUse = new HashMap<>();
        all.values().forEach(i -> inUse.merge(i.instanceTypeAsString(), 1, Integer::sum));
        Size type = typeFor(spec, inUse);
        String image = imageId(spec);
        String userData = spec.userData() == null ? null
            : Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8));
        ec2.runInstances(b -> b.imageId(image).instanceType(type.type()).minCount(1).maxCount(1).userData(userData)
            .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(
                Tag.builder().key(TAG_DOMAIN).value(name).build(), Tag.builder().key(TAG_UUID).value(spec.uuid()).build()).build()));
        return null;
      }
    });
  }

  /** The endpoint's image for the spec's first disk: named like its base volume or located at pool/volume. */
  private String imageId(DomainSpec spec) {
    if (spec.disks().isEmpty()) {
      throw new DriverException(DriverException.Kind.REJECTED, "domain " + spec.name() + " has no disk; an EC2 instance needs an image");
    }
    DomainSpec.Disk d = spec.disks().get(0);
    String location = d.pool() + "/" + d.baseVolume();
    List<Image> images = ec2.describeImages().images();
    for (Image i : images) {
      if (location.equals(i.imageLocation()) || d.baseVolume().equals(i.name()) || d.baseVolume().equals(i.imageId())) {
        return i.imageId();
      }
    }
    throw new DriverException(DriverException.Kind.NOT_FOUND, "the EC2 endpoint " + uri + " has no image for " + location
        + " (it has " + images.stream().map(i -> i.name() + " at " + i.imageLocation()).toList() + "); register the same image there");
  }

  private CompletionStage<Void> onInstance(String name, Consumer<String> action) {
    return async(() -> {
      Instance i = instances().get(name);
      if (i != null) {
        action.accept(i.instanceId());
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Void> shutdown(String name, Duration timeout) {
    return onInstance(name, id -> ec2.stopInstances(b -> b.instanceIds(id)));
  }

  @Override
  public CompletionStage<Void> destroy(String name) {
    return onInstance(name, id -> ec2.stopInstances(b -> b.instanceIds(id).force(true)));
  }

  @Override
  public CompletionStage<Void> undefine(String name, boolean removeStorage) {
    return onInstance(name, id -> ec2.terminateInstances(b -> b.instanceIds(id))).thenRun(() -> defined.remove(name));
  }

  @Override
  public CompletionStage<Void> reboot(String name, Duration timeout) {
    // EC2's RebootInstances is itself graceful, then hard after the endpoint's own timeout.
    return onInstance(name, id -> ec2.rebootInstances(b -> b.instanceIds(id)));
  }

  @Override
  public CompletionStage<Void> migrate(String name, HypervisorConnection destination, MigrationOptions options,
      Consumer<MigrationProgress> progress) {
    return CompletableFuture.failedFuture(new DriverException(DriverException.Kind.UNSUPPORTED, "live migration to or from an EC2"
        + " endpoint (" + uri + ") is not possible: EC2 has no migration API; stop the VM and start it elsewhere instead"));
  }

  @Override
  public void onEvent(Consumer<DomainEvent> listener) {
    // EC2 pushes no events; the Monitor's periodic reads see every change.
  }

  @Override
  public void close() {
    alive = false;
    ec2.close();
  }
}
