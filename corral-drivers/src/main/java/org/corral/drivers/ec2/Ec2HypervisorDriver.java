package org.corral.drivers.ec2;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.HypervisorDriver;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code ec2://HOST[:PORT]?region=R&credentialsEnv=NAME|credentialsFile=/path[&caps=TYPE:N,...][&protocol=http][&mhz=2400]}:
 * an EC2-compatible endpoint (AWS, or another Corral's EC2 Query API) as one host. Calls run on
 * virtual threads with the AWS SDK's synchronous client.
 */
public final class Ec2HypervisorDriver implements HypervisorDriver, AutoCloseable {
  static final String EXAMPLE = "ec2://ec2.eu-west-1.amazonaws.com?region=eu-west-1&credentialsEnv=CORRAL_EC2_KEY";
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Function<String, @Nullable String> env;
  private final Map<String, Map<String, DomainSpec>> defined = new ConcurrentHashMap<>();

  public Ec2HypervisorDriver() {
    this(System::getenv);
  }

  /** With {@code env} in place of the process environment (for tests). */
  public Ec2HypervisorDriver(Function<String, @Nullable String> env) {
    this.env = env;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("ec2");
  }

  @Override
  public CompletionStage<HypervisorConnection> connect(String uri) {
    return CompletableFuture.supplyAsync(() -> open(uri), executor);
  }

  private HypervisorConnection open(String raw) {
    DriverUri u = DriverUri.parse("uri", raw, EXAMPLE).allowOnly(Set.of("region", "credentialsFile", "credentialsEnv", "caps", "protocol", "mhz"));
    String host = u.requireHost("EC2 endpoint");
    String region = u.param("region");
    if (region == null || region.isBlank()) {
      throw new InvalidInputException("uri", "no region in " + InvalidInputException.quote(raw), "add ?region=..., e.g. " + EXAMPLE);
    }
    String protocol = u.param("protocol");
    if (protocol == null) {
      protocol = "https";
    } else if (!protocol.equals("http") && !protocol.equals("https")) {
      throw new InvalidInputException("uri", "protocol=" + InvalidInputException.quote(protocol) + " is neither http nor https",
          "leave it out (https) or write protocol=http for an endpoint on loopback");
    }
    Ec2Caps caps = Ec2Caps.parse("uri", u.param("caps"));
    int mhz = u.intParam("mhz", 2400, 1, 100_000);
    Ec2Credentials key = Ec2Credentials.read("uri", u.param("credentialsFile"), u.param("credentialsEnv"), env);
    URI endpoint = URI.create(protocol + "://" + (host.contains(":") ? "[" + host + "]" : host) + (u.port() == -1 ? "" : ":" + u.portOr(443)));
    Ec2Client client = Ec2Client.builder().endpointOverride(endpoint).region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secret())))
        .httpClient(UrlConnectionHttpClient.create()).build();
    try {
      return new Ec2Connection(raw, host, client, executor, caps, mhz,
          defined.computeIfAbsent(raw, k -> new ConcurrentHashMap<>()));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
