package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.corral.controller.api.RunningCorral.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.corral.controller.auth.LoginLimiter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The EC2 Query API with a real client, the AWS SDK for Java v2, against a whole Corral on
 * loopback: every action, keys made through the REST API, access policy (another user's instance
 * is not found), quotas (InstanceLimitExceeded), unknown images, bad signatures, unknown keys and
 * an old request.
 */
class Ec2ApiTest {
  static final String REGION = "corral-1";
  @TempDir
  static Path home;
  static RunningCorral corral;
  static Key alice;
  static Key bob;
  static String amiId;
  static final List<AutoCloseable> clients = new ArrayList<>();

  record Key(String id, String secret, Ec2Client ec2, ApiClient rest) {}

  static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
      new ch.qos.logback.core.read.ListAppender<>();
  static final List<String> secrets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    log.start();
    root().addAppender(log);
    corral = new RunningCorral(home);
    assertThat(corral.runtime.ec2Port()).as("ec2 port; warnings %s", corral.runtime.warnings()).isPositive();
    alice = developer("alice");
    bob = developer("bob");
  }

  static ch.qos.logback.classic.Logger root() {
    return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @AfterAll
  static void stop() throws Exception {
    root().detachAppender(log);
    for (AutoCloseable c : clients) {
      c.close();
    }
    if (corral != null) {
      corral.close();
    }
  }

  static Key developer(String name) {
    ApiClient admin = corral.api;
    assertThat(admin.post("/api/v1/users", "{\"name\": \"" + name + "\", \"role\": \"developer\"}").status()).isEqualTo(201);
    String token = admin.post("/api/v1/tokens", "{\"user\": \"" + name + "\"}").json().get("token").asText();
    ApiClient rest = new ApiClient(corral.runtime.port(), token);
    clients.add(rest);
    ApiClient.Reply k = rest.post("/api/v1/keys", "{\"description\": \"sdk test\"}");
    assertThat(k.status()).as(k.toString()).isEqualTo(201);
    String id = k.json().get("id").asText();
    String secret = k.json().get("secret").asText();
    secrets.add(secret);
    return new Key(id, secret, client(id, secret), rest);
  }

  static Ec2Client client(String id, String secret) {
    return client(id, secret, b -> {});
  }

  /**
   * A client that sends each call once: the SDK retries a 503 RequestLimitExceeded as throttling
   * (3 attempts, seconds of backoff) and any 5xx, and would retry an AuthFailure as clock skew
   * were the server's Date 4 minutes off; a test that counts what the server refused counts requests.
   */
  static Ec2Client once(String id, String secret) {
    return client(id, secret, b -> b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));
  }

  private static Ec2Client client(String id, String secret, Consumer<software.amazon.awssdk.services.ec2.Ec2ClientBuilder> extra) {
    var builder = Ec2Client.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + corral.runtime.ec2Port()))
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
        .httpClient(ApacheHttpClient.create());
    extra.accept(builder);
    Ec2Client c = builder.build();
    clients.add(c);
    return c;
  }

  static String ami() {
    if (amiId == null) {
      List<Image> images = alice.ec2().describeImages().images();
      assertThat(images).extracting(Image::name).containsExactly("img1");
      amiId = images.get(0).imageId();
    }
    return amiId;
  }

  static Instance run(Key k, InstanceType type) {
    RunInstancesResponse r = k.ec2().runInstances(b -> b.imageId(ami()).instanceType(type).minCount(1).maxCount(1));
    assertThat(r.instances()).hasSize(1);
    return r.instances().get(0);
  }

  static Instance describe(Key k, String id) {
    return k.ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
  }

  static void expectError(String code, Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(Ec2Exception.class,
        e -> assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code));
  }

  @Test
  void catalogueActions() {
    assertThat(alice.ec2().describeRegions().regions()).singleElement().satisfies(r -> assertThat(r.regionName()).isEqualTo(REGION));
    assertThat(alice.ec2().describeAvailabilityZones().availabilityZones())
        .extracting(z -> z.zoneName()).containsExactly(REGION + "a");
    assertThat(ami()).matches("ami-[0-9a-f]{17}");
    assertThat(alice.ec2().describeInstanceTypes(b -> b.instanceTypes(InstanceType.T2_MICRO)).instanceTypes())
        .singleElement().satisfies(t -> {
          assertThat(t.vCpuInfo().defaultVCpus()).isEqualTo(1);
          assertThat(t.memoryInfo().sizeInMiB()).isEqualTo(1024L);
        });
  }

  @Test
  void instanceLifecycleThroughTheSdk() {
    Instance i = run(alice, InstanceType.T2_NANO);
    String id = i.instanceId();
    assertThat(id).matches("i-[0-9a-f]{17}");
    assertThat(i.imageId()).isEqualTo(ami());
    assertThat(i.instanceType()).isEqualTo(InstanceType.T2_NANO);
    eventually().alias(id + " running").until(() -> describe(alice, id).state().name() == InstanceStateName.RUNNING);
    assertThat(describe(alice, id).privateIpAddress()).startsWith("10.10.0.");
    // The VM is Corral's own: the REST API shows it with its owner and size.
    String name = describe(alice, id).tags().stream().filter(t -> t.key().equals("corral:name")).findFirst().orElseThrow().value();
    JsonNode vm = alice.rest().get("/api/v1/vms/" + name).json();
    assertThat(vm.get("owner").asText()).isEqualTo("alice");
    assertThat(vm.get("spec").get("cpus").asInt()).isEqualTo(1);
    assertThat(vm.get("uuid").asText().replace("-", "")).startsWith(id.substring(2));

    assertThat(alice.ec2().describeInstances(b -> b.filters(Filter.builder().name("instance-state-name").values("running").build()))
        .reservations()).flatExtracting(r -> r.instances()).extracting(Instance::instanceId).contains(id);

    var stopped = alice.ec2().stopInstances(b -> b.instanceIds(id)).stoppingInstances();
    assertThat(stopped).singleElement().satisfies(c -> assertThat(c.previousState().name()).isEqualTo(InstanceStateName.RUNNING));
    eventually().alias(id + " stopped").until(() -> describe(alice, id).state().name() == InstanceStateName.STOPPED);
    alice.ec2().startInstances(b -> b.instanceIds(id));
    eventually().alias(id + " running again").until(() -> describe(alice, id).state().name() == InstanceStateName.RUNNING);
    // RebootInstances reboots in place (RebootVm through the executor), as POST /vms/{name}/reboot does.
    alice.ec2().rebootInstances(b -> b.instanceIds(id));
    eventually().alias(id + " rebooted").until(() -> alice.rest().get("/api/v1/vms/" + name).json().get("stateReason").asText()
        .startsWith("rebooted"));
    expectError("InvalidInstanceID.NotFound", () -> bob.ec2().rebootInstances(b -> b.instanceIds(id)));
    assertThat(bob.rest().post("/api/v1/vms/" + name + "/reboot", "").status()).as("another user's VM").isEqualTo(404);
    assertThat(alice.rest().post("/api/v1/vms/" + name + "/reboot", "").status()).isEqualTo(202);
    eventually().alias(id + " rebooted through REST").until(() -> corral.api.get("/api/v1/events?subject=" + name + "&last=100")
        .text().split("rebooted on", -1).length == 3);
    assertThat(corral.api.get("/api/v1/events?subject=" + name + "&last=100").text()).contains("reboot VM " + name
        + " (requested by alice");
    eventually().alias(id + " running after the reboots").until(() -> describe(alice, id).state().name() == InstanceStateName.RUNNING);

    var terminated = alice.ec2().terminateInstances(b -> b.instanceIds(id)).terminatingInstances();
    assertThat(terminated).singleElement().satisfies(c -> assertThat(c.currentState().name())
        .isIn(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED));
    // Once deleted, the VM is gone from Corral, and the instance stays visible as terminated (48) for an hour, to its owner only.
    eventually().alias(name + " deleted").until(() -> alice.rest().get("/api/v1/vms/" + name).status() == 404);
    Instance gone = describe(alice, id);
    assertThat(gone.state().name()).isEqualTo(InstanceStateName.TERMINATED);
    assertThat(gone.state().code()).isEqualTo(48);
    assertThat(ids(alice.ec2().describeInstances(b -> b.filters(Filter.builder().name("instance-state-name").values("terminated")
        .build())))).contains(id);
    assertThat(ids(alice.ec2().describeInstances(b -> b.filters(Filter.builder().name("instance-state-name").values("running")
        .build())))).doesNotContain(id);
    expectError("InvalidInstanceID.NotFound", () -> bob.ec2().describeInstances(b -> b.instanceIds(id)));
    expectError("InvalidInstanceID.NotFound", () -> alice.ec2().startInstances(b -> b.instanceIds(id)));
  }

  static List<String> ids(software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse r) {
    return r.reservations().stream().flatMap(x -> x.instances().stream()).map(Instance::instanceId).toList();
  }

  @Test
  void tagsAreCreatedDescribedFilteredAndDeletedAsTheVmsLabels() {
    String id = run(alice, InstanceType.T2_NANO).instanceId();
    String other = run(alice, InstanceType.T2_NANO).instanceId();
    alice.ec2().createTags(b -> b.resources(id, other).tags(Tag.builder().key("team").value("web").build(),
        Tag.builder().key("env").value("prod").build()));
    alice.ec2().createTags(b -> b.resources(other).tags(Tag.builder().key("env").value("test").build()));
    String name = describe(alice, id).tags().stream().filter(t -> t.key().equals("corral:name")).findFirst().orElseThrow().value();
    assertThat(alice.rest().get("/api/v1/vms/" + name).json().get("spec").get("labels").toString())
        .isEqualTo("{\"env\":\"prod\",\"team\":\"web\"}");

    assertThat(alice.ec2().describeTags(b -> b.filters(Filter.builder().name("resource-id").values(id).build())).tags())
        .extracting(t -> t.key() + "=" + t.value()).containsExactlyInAnyOrder("env=prod", "team=web", "corral:name=" + name);
    assertThat(alice.ec2().describeTags(b -> b.filters(Filter.builder().name("key").values("env").build(),
        Filter.builder().name("value").values("test").build())).tags())
        .singleElement().satisfies(t -> {
          assertThat(t.resourceId()).isEqualTo(other);
          assertThat(t.resourceTypeAsString()).isEqualTo("instance");
        });
    assertThat(bob.ec2().describeTags().tags()).extracting(t -> t.resourceId()).doesNotContain(id, other);

    assertThat(ids(alice.ec2().describeInstances(b -> b.filters(Filter.builder().name("tag:env").values("prod").build()))))
        .containsExactly(id);
    assertThat(ids(alice.ec2().describeInstances(b -> b.filters(Filter.builder().name("tag-key").values("team").build()))))
        .containsExactlyInAnyOrder(id, other);
    assertThat(ids(alice.ec2().describeInstances(b -> b.instanceIds(id, other).filters(Filter.builder().name("tag:env")
        .values("test").build())))).as("by id (the index), then filtered").containsExactly(other);
    expectError("InvalidParameterCombination", () -> alice.ec2().describeInstances(b -> b.instanceIds(id).maxResults(5)));

    // DeleteTags: a value given must match; a key alone deletes it.
    alice.ec2().deleteTags(b -> b.resources(id, other).tags(Tag.builder().key("env").value("prod").build()));
    assertThat(alice.ec2().describeTags(b -> b.filters(Filter.builder().name("key").values("env").build())).tags())
        .extracting(t -> t.resourceId()).containsExactly(other);
    alice.ec2().deleteTags(b -> b.resources(other).tags(Tag.builder().key("team").build()));
    assertThat(ids(alice.ec2().describeInstances(b -> b.filters(Filter.builder().name("tag-key").values("team").build()))))
        .containsExactly(id);

    // EC2's rules, all or nothing, and another user's instance is not found.
    expectError("InvalidParameterValue", () -> alice.ec2().createTags(b -> b.resources(id).tags(Tag.builder().key("aws:x").value("1").build())));
    expectError("InvalidParameterValue", () -> alice.ec2().createTags(b -> b.resources(id).tags(Tag.builder().key("k".repeat(129)).value("1").build())));
    expectError("InvalidParameterValue", () -> alice.ec2().createTags(b -> b.resources(id).tags(Tag.builder().key("k").value("v".repeat(257)).build())));
    expectError("InvalidParameterValue", () -> alice.ec2().createTags(b -> b.resources(id).tags(Tag.builder().key("corral:name").value("x").build())));
    List<Tag> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(Tag.builder().key("k" + i).value("v").build());
    }
    expectError("TagLimitExceeded", () -> alice.ec2().createTags(b -> b.resources(id).tags(many)));
    expectError("InvalidInstanceID.NotFound", () -> bob.ec2().createTags(b -> b.resources(id).tags(Tag.builder().key("x").value("y").build())));
    expectError("InvalidInstanceID.NotFound", () -> alice.ec2().createTags(b -> b.resources(other, "i-00000000000000000")
        .tags(Tag.builder().key("x").value("y").build())));
    assertThat(alice.ec2().describeTags(b -> b.filters(Filter.builder().name("resource-id").values(id, other).build())).tags())
        .as("nothing changed by the refused requests").extracting(t -> t.key()).containsOnly("team", "env", "corral:name").hasSize(4);
    eventually().alias("both running").until(() -> describe(alice, id).state().name() == InstanceStateName.RUNNING
        && describe(alice, other).state().name() == InstanceStateName.RUNNING);
    alice.ec2().terminateInstances(b -> b.instanceIds(id, other));
  }

  @Test
  void anotherUsersInstanceIsNeitherVisibleNorReachable() {
    String id = run(alice, InstanceType.T2_NANO).instanceId();
    expectError("InvalidInstanceID.NotFound", () -> bob.ec2().describeInstances(b -> b.instanceIds(id)));
    expectError("InvalidInstanceID.NotFound", () -> bob.ec2().terminateInstances(b -> b.instanceIds(id)));
    expectError("InvalidInstanceID.NotFound", () -> bob.ec2().stopInstances(b -> b.instanceIds(id)));
    assertThat(bob.ec2().describeInstances().reservations()).flatExtracting(r -> r.instances())
        .extracting(Instance::instanceId).doesNotContain(id);
    eventually().alias(id + " running").until(() -> describe(alice, id).state().name() == InstanceStateName.RUNNING);
    // The administrator's key sees everyone's.
    ApiClient.Reply adminKey = corral.api.post("/api/v1/keys", "");
    Ec2Client admin = client(adminKey.json().get("id").asText(), adminKey.json().get("secret").asText());
    assertThat(admin.describeInstances(b -> b.instanceIds(id)).reservations()).hasSize(1);
    alice.ec2().terminateInstances(b -> b.instanceIds(id));
  }

  @Test
  void quotaUnknownImageAndBadParametersAreEc2Errors() {
    Key carol = developer("carol");
    assertThat(corral.api.put("/api/v1/users/carol/quota", "{\"vms\": 1}").status()).isEqualTo(200);
    String id = run(carol, InstanceType.T2_NANO).instanceId();
    expectError("InstanceLimitExceeded", () -> run(carol, InstanceType.T2_NANO));
    // Corral refuses to delete a VM while its deployment runs (IncorrectInstanceState): wait for it.
    eventually().alias(id + " running").until(() -> describe(carol, id).state().name() == InstanceStateName.RUNNING);
    // MinCount 1, MaxCount 3 with room for none more: refused; with the first gone, one starts.
    carol.ec2().terminateInstances(b -> b.instanceIds(id));
    eventually().alias("carol's VM deleted").until(() -> carol.ec2().describeInstances().reservations().stream()
        .flatMap(r -> r.instances().stream()).allMatch(i -> i.state().name() == InstanceStateName.TERMINATED));
    assertThat(carol.ec2().runInstances(b -> b.imageId(ami()).instanceType(InstanceType.T2_NANO).minCount(1).maxCount(3))
        .instances()).hasSize(1);

    expectError("InvalidAMIID.NotFound", () -> alice.ec2().runInstances(b -> b.imageId("ami-00000000000000000").minCount(1).maxCount(1)));
    expectError("InvalidParameterValue", () -> alice.ec2().runInstances(b -> b.imageId(ami()).instanceType("x9.huge").minCount(1).maxCount(1)));
    expectError("InvalidInstanceID.Malformed", () -> alice.ec2().terminateInstances(b -> b.instanceIds("vm-1")));
    expectError("InvalidInstanceID.NotFound", () -> alice.ec2().startInstances(b -> b.instanceIds("i-00000000000000000")));
  }

  @Test
  void wrongSecretUnknownKeyAndDeletedKeyAreRefused() {
    expectError("AuthFailure", () -> client(alice.id(), alice.secret().substring(1) + "A").describeRegions());
    expectError("AuthFailure", () -> client("CKIAAAAAAAAAAAAAAAAA", alice.secret()).describeRegions());
    Key dave = developer("dave");
    dave.ec2().describeRegions();
    assertThat(dave.rest().delete("/api/v1/keys/" + dave.id()).status()).isEqualTo(204);
    expectError("AuthFailure", () -> dave.ec2().describeRegions());
    // Listing shows ids, never secrets.
    String listed = alice.rest().get("/api/v1/keys").text();
    assertThat(listed).contains(alice.id()).doesNotContain(alice.secret()).doesNotContain(bob.id());
  }

  /** A request signed by the SDK's own signer, at {@code at}, sent as it is. */
  static HttpResponse<String> signedAt(Instant at, String body) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + corral.runtime.ec2Port() + "/");
    SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
        .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
    Consumer<software.amazon.awssdk.http.auth.spi.signer.SignRequest.Builder<AwsCredentialsIdentity>> request = r -> r
        .identity(AwsCredentialsIdentity.create(alice.id(), alice.secret()))
        .request(http)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
    SignedRequest signed = AwsV4HttpSigner.create().sign(request);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
    signed.request().headers().forEach((name, values) -> {
      if (!Set.of("host", "content-length").contains(name.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    try (HttpClient c = HttpClient.newHttpClient()) {
      return c.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void oldRequestsUnknownActionsAndErrorsAreEc2Xml() throws Exception {
    HttpResponse<String> now = signedAt(Instant.now(), "Action=DescribeRegions&Version=2016-11-15");
    assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
    assertThat(now.body()).contains("<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">", "<requestId>");
    HttpResponse<String> old = signedAt(Instant.now().minusSeconds(16 * 60), "Action=DescribeRegions&Version=2016-11-15");
    assertThat(old.statusCode()).isEqualTo(400);
    assertThat(old.body()).contains("<Code>RequestExpired</Code>", "<RequestID>");
    HttpResponse<String> unknown = signedAt(Instant.now(), "Action=DescribeVolumes&Version=2016-11-15");
    assertThat(unknown.body()).contains("<Code>InvalidAction</Code>", "RunInstances");
    try (HttpClient c = HttpClient.newHttpClient()) {
      HttpResponse<String> anonymous = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + corral.runtime.ec2Port()
          + "/?Action=DescribeInstances")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }
  }

  /** The AWS CLI, if installed (.ci/run installs Debian's awscli; CI fails without it). */
  static java.util.Optional<Path> awsCli() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "aws");
      if (java.nio.file.Files.isExecutable(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  /** Runs {@code aws ec2 ARGS --output json} as {@code k}'s key holder; returns its JSON output. */
  static JsonNode aws(Path cli, Key k, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(cli.toString(), "ec2"));
    command.addAll(List.of(args));
    command.addAll(List.of("--endpoint-url", "http://127.0.0.1:" + corral.runtime.ec2Port(), "--region", REGION, "--output", "json"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().put("AWS_ACCESS_KEY_ID", k.id());
    pb.environment().put("AWS_SECRET_ACCESS_KEY", k.secret());
    pb.environment().put("AWS_CONFIG_FILE", home.resolve("aws-config").toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials").toString());
    pb.environment().put("AWS_PAGER", "");
    pb.environment().remove("AWS_PROFILE");
    Process p = pb.start();
    java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("aws %s finished", command).isTrue();
    assertThat(p.exitValue()).as("aws %s: %s", args[0], err.get()).isZero();
    return out.isBlank() ? ApiClient.JSON.createObjectNode() : ApiClient.JSON.readTree(out);
  }

  @Test
  void theAwsCliRunsDescribesAndTerminates() throws Exception {
    java.util.Optional<Path> cli = awsCli();
    if (cli.isEmpty()) {
      assertThat(System.getenv("CI")).as("CI installs awscli (.ci/run); without it this test cannot run").isNotEqualTo("true");
      org.junit.jupiter.api.Assumptions.abort("the AWS CLI (aws) is not installed: apt-get install awscli");
    }
    Path aws = cli.get();
    Key erin = developer("erin");
    JsonNode run = aws(aws, erin, "run-instances", "--image-id", ami(), "--instance-type", "t2.nano", "--count", "1");
    String id = run.get("Instances").get(0).get("InstanceId").asText();
    assertThat(id).matches("i-[0-9a-f]{17}");
    eventually().alias(id + " running (aws describe-instances)").until(() -> "running".equals(aws(aws, erin, "describe-instances",
        "--instance-ids", id).get("Reservations").get(0).get("Instances").get(0).get("State").get("Name").asText()));
    aws(aws, erin, "reboot-instances", "--instance-ids", id);
    String name = erin.ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).tags().stream()
        .filter(t -> t.key().equals("corral:name")).findFirst().orElseThrow().value();
    eventually().alias(id + " rebooted (aws reboot-instances)").until(() -> erin.rest().get("/api/v1/vms/" + name).json()
        .get("stateReason").asText().startsWith("rebooted"));
    JsonNode gone = aws(aws, erin, "terminate-instances", "--instance-ids", id);
    assertThat(gone.get("TerminatingInstances").get(0).get("InstanceId").asText()).isEqualTo(id);
    eventually().alias(id + " terminated").until(() -> "terminated".equals(aws(aws, erin, "describe-instances",
        "--instance-ids", id).get("Reservations").get(0).get("Instances").get(0).get("State").get("Name").asText()));
  }

  @Test
  void secretsNeverComeBackAndTheKeyEncryptionKeyIsTheOwnersOnly() throws Exception {
    Key frank = developer("frank");
    frank.ec2().describeRegions();
    expectError("AuthFailure", () -> client(frank.id(), "x" + frank.secret()).describeRegions());
    List<String> answers = new ArrayList<>();
    for (String path : List.of("/api/v1/keys", "/api/v1/users", "/api/v1/events?last=10000", "/api/v1/whoami")) {
      answers.add(corral.api.get(path).text());
    }
    answers.add(frank.rest().get("/api/v1/keys").text());
    log.list.forEach(e -> answers.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())));
    String all = String.join("\n", answers);
    assertThat(all).contains(frank.id());
    for (String secret : secrets) {
      assertThat(all).as("an access key's secret came back").doesNotContain(secret);
    }
    assertThat(all).doesNotContain("sealedSecret").doesNotContain("\"v1:");
    assertThat(java.nio.file.Files.getPosixFilePermissions(home.resolve("ec2-kek"))).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void keyPairsReachTheVmThroughCloudInitAndStayTheirOwners() {
    Key gina = developer("gina");
    var made = gina.ec2().createKeyPair(b -> b.keyName("laptop"));
    assertThat(made.keyMaterial()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(made.keyFingerprint()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
    String publicKey = gina.ec2().describeKeyPairs(b -> b.keyNames("laptop").includePublicKey(true)).keyPairs().get(0).publicKey();
    assertThat(publicKey).startsWith("ssh-rsa AAAA");
    var imported = gina.ec2().importKeyPair(b -> b.keyName("copy")
        .publicKeyMaterial(software.amazon.awssdk.core.SdkBytes.fromUtf8String(publicKey + " gina@laptop")));
    assertThat(imported.keyFingerprint()).isEqualTo(made.keyFingerprint());
    expectError("InvalidKeyPair.Duplicate", () -> gina.ec2().createKeyPair(b -> b.keyName("laptop")));
    expectError("InvalidParameterValue", () -> gina.ec2().importKeyPair(b -> b.keyName("bad")
        .publicKeyMaterial(software.amazon.awssdk.core.SdkBytes.fromUtf8String("ssh-rsa bm90IGEga2V5"))));
    assertThat(gina.ec2().describeKeyPairs().keyPairs()).extracting(k -> k.keyName()).containsExactly("copy", "laptop");
    assertThat(bob.ec2().describeKeyPairs().keyPairs()).extracting(k -> k.keyName()).doesNotContain("laptop");
    expectError("InvalidKeyPair.NotFound", () -> bob.ec2().runInstances(b -> b.imageId(ami()).keyName("laptop").minCount(1).maxCount(1)));

    Instance i = gina.ec2().runInstances(b -> b.imageId(ami()).instanceType(InstanceType.T2_NANO).keyName("laptop")
        .userData(java.util.Base64.getEncoder().encodeToString("#cloud-config\npackages: [htop]\n".getBytes(StandardCharsets.UTF_8)))
        .minCount(1).maxCount(1)).instances().get(0);
    String name = i.tags().stream().filter(t -> t.key().equals("corral:name")).findFirst().orElseThrow().value();
    String userData = gina.rest().get("/api/v1/vms/" + name).json().get("spec").get("userData").asText();
    assertThat(userData).isEqualTo("#cloud-config\npackages: [htop]\nssh_authorized_keys:\n  - " + publicKey + "\n");

    gina.ec2().deleteKeyPair(b -> b.keyName("copy"));
    assertThat(gina.ec2().describeKeyPairs().keyPairs()).extracting(k -> k.keyName()).containsExactly("laptop");
    assertThat(made.keyMaterial()).as("the private key is not kept").isNotEmpty();
    assertThat(gina.rest().get("/api/v1/events?last=1000").text()).doesNotContain(made.keyMaterial().substring(40, 100));
  }

  @Test
  void badSignaturesAreLimitedAndJournaledAsFailedLogins() {
    Key hank = developer("hank");
    // A different first character (a fixed "y" would be the right secret whenever it starts with y).
    char first = hank.secret().charAt(0) == 'y' ? 'z' : 'y';
    Ec2Client wrong = once(hank.id(), first + hank.secret().substring(1));
    for (int i = 0; i < LoginLimiter.PER_USER; i++) {
      expectError("AuthFailure", () -> wrong.describeRegions());
    }
    // Past the limit even the right secret waits (the answer says how long).
    expectError("RequestLimitExceeded", () -> once(hank.id(), hank.secret()).describeRegions());
    List<JsonNode> events = corral.events(0, "hank");
    assertThat(events).filteredOn(e -> e.get("kind").asText().equals("LOGIN_FAILED")).as("one failed login per refused request")
        .hasSize(LoginLimiter.PER_USER)
        .allSatisfy(e -> assertThat(e.get("message").asText()).contains("EC2 request with access key " + hank.id() + " refused: AuthFailure"));
    assertThat(events.toString()).doesNotContain(hank.secret());
  }
}
