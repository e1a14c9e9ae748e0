package org.corral.controller.ec2;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.corral.controller.Controller;
import org.corral.controller.auth.AccessPolicy;
import org.corral.controller.auth.Permission;
import org.corral.controller.auth.Principal;
import org.corral.controller.command.VmRequest;
import org.corral.model.QuotaExceededException;
import org.corral.model.auth.KeyPair;
import org.corral.model.auth.User;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/**
 * The EC2 actions, each mapped onto Corral's own commands and state: a developer sees and acts on
 * what the REST API would let them (AccessPolicy), RunInstances is admitted with the same checks
 * and quotas as POST /vms, and every write names the access key's user in the journal.
 * Reads use the published state (no loop hop); writes run on the loop through
 * {@link Controller#call}.
 */
final class Ec2Actions {
  /** Instances one RunInstances may start (MaxCount). */
  static final int MAX_COUNT = 100;
  /** Zone of hosts without a {@code zone} label: the region's name and "a", as us-east-1a. */
  static final String ZONE_LABEL = "zone";

  private final Controller controller;
  private final String region;
  private final InstanceTypes types;
  private final Terminated terminated = new Terminated();
  private final SecureRandom random = new SecureRandom();

  Ec2Actions(Controller controller, String region, InstanceTypes types) {
    this.controller = controller;
    this.region = region;
    this.types = types;
  }

  /** Actions answered, for the docs and the test that checks each. */
  static final Set<String> ACTIONS = Set.of("RunInstances", "DescribeInstances", "TerminateInstances", "StartInstances",
      "StopInstances", "RebootInstances", "DescribeImages", "DescribeInstanceTypes", "DescribeRegions",
      "DescribeAvailabilityZones", "CreateKeyPair", "ImportKeyPair", "DescribeKeyPairs", "DeleteKeyPair", "CreateTags", "DeleteTags",
      "DescribeTags");

  String run(String action, Params q, Principal p, String requestId) {
    return switch (action) {
      case "RunInstances" -> runInstances(q, p, requestId);
      case "DescribeInstances" -> describeInstances(q, p, requestId);
      case "TerminateInstances" -> change(action, q, p, requestId, (vm, who) -> {
        Vm deleting = controller.commands().deleteVm(vm.name(), who);
        terminated.add(deleting, controller.clock().now());
        return deleting;
      });
      case "StartInstances" -> change(action, q, p, requestId, (vm, who) -> controller.commands().startVm(vm.name(), who));
      case "StopInstances" -> {
        boolean force = "true".equalsIgnoreCase(q.one("Force"));
        yield change(action, q, p, requestId, (vm, who) -> controller.commands().stopVm(vm.name(), force, who));
      }
      case "RebootInstances" -> reboot(q, p, requestId);
      case "DescribeImages" -> describeImages(q, p, requestId);
      case "DescribeInstanceTypes" -> describeInstanceTypes(q, p, requestId);
      case "DescribeRegions" -> describeRegions(q, p, requestId);
      case "DescribeAvailabilityZones" -> describeZones(q, p, requestId);
      case "CreateKeyPair", "ImportKeyPair" -> addKeyPair(action, q, p, requestId);
      case "DescribeKeyPairs" -> describeKeyPairs(q, p, requestId);
      case "DeleteKeyPair" -> deleteKeyPair(q, p, requestId);
      case "CreateTags", "DeleteTags" -> changeTags(action, q, p, requestId);
      case "DescribeTags" -> describeTags(q, p, requestId);
      default -> throw new Ec2Exception("InvalidAction", 400, "The action " + action + " is not valid for this web service;"
          + " Corral answers " + String.join(", ", new java.util.TreeSet<>(ACTIONS)) + " (docs/ec2-api.md)");
    };
  }

  // ---- ids ----------------------------------------------------------------------------------------

  /** {@code i-} and the first 17 hex digits of the VM's UUID. */
  static String instanceId(Vm v) {
    return "i-" + java.util.Objects.requireNonNullElse(v.shortId(), "");
  }

  /** {@code ami-} and 17 hex digits of the SHA-256 of the image's name: stable across restarts and controllers. */
  static String imageId(String imageName) {
    return "ami-" + HexFormat.of().formatHex(SigV4.sha256(imageName.getBytes(StandardCharsets.UTF_8))).substring(0, 17);
  }

  // ---- RunInstances -------------------------------------------------------------------------------

  private String runInstances(Params q, Principal p, String requestId) {
    require(p, Permission.CREATE_VMS, "RunInstances");
    String imageId = q.required("ImageId", "ami-0123456789abcdef0");
    Image image = imageFor(imageId);
    String typeName = q.one("InstanceType");
    Flavour type = typeName == null ? types.defaultType() : types.byName(typeName);
    if (type == null) {
      throw new Ec2Exception("InvalidParameterValue", 400, "Value (" + typeName + ") for parameter instanceType is invalid;"
          + " the instance types are corral.yaml's flavours: " + types.all().stream().map(Flavour::name).toList());
    }
    int min = q.integer("MinCount", 1);
    int max = q.integer("MaxCount", min);
    if (min < 1 || max < min || max > MAX_COUNT) {
      throw Ec2Exception.invalid("MinCount/MaxCount", "must satisfy 1 <= MinCount <= MaxCount <= " + MAX_COUNT + ", got " + min + " and " + max);
    }
    String userData = null;
    String encoded = q.one("UserData");
    if (encoded != null) {
      try {
        userData = new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw Ec2Exception.invalid("UserData", "is not base64 (AWS clients encode it; send the text base64-encoded)");
      }
    }
    String keyName = q.one("KeyName");
    if (keyName != null) {
      userData = withKey(userData, requireKeyPair(p, keyName));
    }
    List<NicSpec> nics = nics(q.one("SubnetId"));
    String zone = q.one("Placement.AvailabilityZone");
    String requirements = zone == null ? null : zoneRequirement(zone);
    Map<String, String> labels = tags(q);
    String data = userData;
    String owner = p.name();
    List<Vm> created = controller.call(() -> {
      QuotaExceededException over = null;
      // As EC2: as many as the quota allows between MinCount and MaxCount (each try is all or nothing).
      for (int n = max; n >= min; n--) {
        List<VmRequest> reqs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          reqs.add(new VmRequest(newName(), type.cpus(), type.memoryMib(), List.of(new DiskSpec(image.name(), 0)), nics,
              requirements, null, null, null, null, null, null, data, labels, null));
        }
        try {
          return controller.commands().createVms(reqs, owner, p.actor());
        } catch (QuotaExceededException e) {
          over = e;
        }
      }
      throw java.util.Objects.requireNonNull(over);
    });
    Ec2Xml x = Ec2Xml.response("RunInstances", requestId);
    x.leaf("reservationId", reservationId(created.get(0))).leaf("ownerId", owner).open("groupSet").close("groupSet");
    x.open("instancesSet");
    for (int i = 0; i < created.size(); i++) {
      x.open("item");
      instance(x, created.get(i), i);
      x.close("item");
    }
    x.close("instancesSet");
    return x.end("RunInstances");
  }

  /**
   * User data that gives the VM {@code key} through cloud-init: a #cloud-config of its own, or
   * the user's #cloud-config with ssh_authorized_keys added at its end. Other user data (a shell
   * script, a MIME archive) is refused: cloud-init would take one or the other, not both.
   */
  static String withKey(@Nullable String userData, KeyPair key) {
    String block = "ssh_authorized_keys:\n  - " + key.publicKey() + "\n";
    if (userData == null || userData.isBlank()) {
      return "#cloud-config\n" + block;
    }
    if (!userData.startsWith("#cloud-config") || userData.contains("ssh_authorized_keys")) {
      throw new Ec2Exception("InvalidParameterCombination", 400, "KeyName can be added to user data only when it is a #cloud-config"
          + " without ssh_authorized_keys; put the key in the user data's ssh_authorized_keys instead");
    }
    return userData + (userData.endsWith("\n") ? "" : "\n") + block;
  }

  private KeyPair requireKeyPair(Principal p, String name) {
    return controller.state().keyPair(p.name(), name).orElseThrow(() -> new Ec2Exception("InvalidKeyPair.NotFound", 400,
        "The key pair '" + name + "' does not exist; DescribeKeyPairs lists yours, ImportKeyPair adds one"));
  }

  // ---- key pairs ----------------------------------------------------------------------------------

  private String addKeyPair(String action, Params q, Principal p, String requestId) {
    require(p, Permission.MANAGE_TOKENS, action);
    String name = q.required("KeyName", "my-key");
    try {
      KeyPair.requireName("KeyName", name);
    } catch (org.corral.model.InvalidInputException e) {
      throw Ec2Exception.invalid("KeyName", "'" + name + "' is not valid: 1 to 64 letters, digits, '.', '_' or '-'");
    }
    KeyPairs.Made made;
    if (action.equals("ImportKeyPair")) {
      String material = q.required("PublicKeyMaterial", "base64 of an OpenSSH public key line");
      String line;
      try {
        line = new String(Base64.getMimeDecoder().decode(material), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        line = material; // some clients send the key line itself
      }
      made = new KeyPairs.Made(KeyPairs.imported(p.name(), name, line, controller.clock().now()), "");
    } else {
      made = KeyPairs.make(p.name(), name, random, controller.clock().now());
    }
    KeyPair k = made.keyPair();
    controller.call(() -> {
      if (controller.state().keyPair(k.user(), k.name()).isPresent()) {
        throw new Ec2Exception("InvalidKeyPair.Duplicate", 400, "The keypair '" + name + "' already exists");
      }
      return controller.accounts().addKeyPair(k, p);
    });
    Ec2Xml x = Ec2Xml.response(action, requestId).leaf("keyName", k.name()).leaf("keyFingerprint", k.fingerprint());
    if (action.equals("CreateKeyPair")) {
      x.leaf("keyMaterial", made.privateKeyPem());
    }
    return x.leaf("keyPairId", KeyPairs.id(k)).end(action);
  }

  private String describeKeyPairs(Params q, Principal p, String requestId) {
    require(p, Permission.MANAGE_TOKENS, "DescribeKeyPairs");
    List<String> names = q.list("KeyName");
    for (String n : names) {
      requireKeyPair(p, n);
    }
    boolean withKey = "true".equalsIgnoreCase(q.one("IncludePublicKey"));
    Ec2Xml x = Ec2Xml.response("DescribeKeyPairs", requestId).open("keySet");
    for (KeyPair k : controller.state().keyPairs(p.name())) {
      if (names.isEmpty() || names.contains(k.name())) {
        x.open("item").leaf("keyPairId", KeyPairs.id(k)).leaf("keyName", k.name()).leaf("keyFingerprint", k.fingerprint())
            .leaf("keyType", k.publicKey().startsWith("ssh-rsa") ? "rsa" : "ed25519")
            .leaf("publicKey", withKey ? k.publicKey() : null).leaf("createTime", k.created().toString()).close("item");
      }
    }
    return x.close("keySet").end("DescribeKeyPairs");
  }

  private String deleteKeyPair(Params q, Principal p, String requestId) {
    require(p, Permission.MANAGE_TOKENS, "DeleteKeyPair");
    String name = q.one("KeyName");
    String id = q.one("KeyPairId");
    if (name == null && id != null) {
      name = controller.state().keyPairs(p.name()).stream().filter(k -> KeyPairs.id(k).equals(id)).map(KeyPair::name)
          .findFirst().orElse(null);
      if (name == null) {
        throw new Ec2Exception("InvalidKeyPair.NotFound", 400, "The key pair '" + id + "' does not exist");
      }
    }
    if (name == null) {
      throw Ec2Exception.missing("KeyName", "my-key");
    }
    String n = name;
    controller.call(() -> controller.accounts().deleteKeyPair(p.name(), n, p));
    return Ec2Xml.response("DeleteKeyPair", requestId).leaf("return", "true").end("DeleteKeyPair");
  }

  private String newName() {
    byte[] b = new byte[6];
    random.nextBytes(b);
    return "ec2-" + HexFormat.of().formatHex(b);
  }

  private Image imageFor(String imageId) {
    for (Image i : controller.state().images()) {
      if (imageId(i.name()).equals(imageId) || i.name().equals(imageId)) {
        return i;
      }
    }
    throw new Ec2Exception("InvalidAMIID.NotFound", 400, "The image id '" + imageId + "' does not exist; DescribeImages lists them");
  }

  /** SubnetId names a Corral network; without one, the only network there is, or none. */
  private List<NicSpec> nics(@Nullable String subnet) {
    List<Network> networks = List.copyOf(controller.state().networks());
    if (subnet != null) {
      if (networks.stream().noneMatch(n -> n.name().equals(subnet))) {
        throw new Ec2Exception("InvalidSubnetID.NotFound", 400, "The subnet ID '" + subnet + "' does not exist;"
            + " a subnet is a Corral network: " + networks.stream().map(Network::name).toList());
      }
      return List.of(new NicSpec(subnet));
    }
    return networks.size() == 1 ? List.of(new NicSpec(networks.get(0).name())) : List.of();
  }

  private String zoneRequirement(String zone) {
    if (!zones().contains(zone)) {
      throw new Ec2Exception("InvalidParameterValue", 400, "Invalid availability zone: [" + zone + "];"
          + " DescribeAvailabilityZones lists " + zones());
    }
    return zone.equals(defaultZone()) ? "!(\"" + ZONE_LABEL + "\" in host.labels)"
        : "\"" + ZONE_LABEL + "\" in host.labels && host.labels[\"" + ZONE_LABEL + "\"] == \"" + zone + "\"";
  }

  /** TagSpecification.N.Tag.M.Key/Value of resource type instance, as the VMs' labels (EC2's rules, then the labels'). */
  private static Map<String, String> tags(Params q) {
    Map<String, String> labels = new TreeMap<>();
    for (int n = 1; q.one("TagSpecification." + n + ".ResourceType") != null; n++) {
      String prefix = "TagSpecification." + n;
      if (!"instance".equals(q.one(prefix + ".ResourceType"))) {
        throw Ec2Exception.invalid(prefix + ".ResourceType", "must be instance (Corral tags instances only)");
      }
      Tags.read(q, prefix + ".Tag", false).forEach((k, v) -> {
        Tags.checkKey(k);
        Tags.checkValue(k, java.util.Objects.requireNonNull(v));
        labels.put(k, v);
      });
    }
    return Tags.checkAll("to be run", labels);
  }

  // ---- tags ---------------------------------------------------------------------------------------

  /**
   * CreateTags (ResourceId.N, Tag.N.Key/Value: set) and DeleteTags (ResourceId.N, Tag.N.Key with an
   * optional Value that must match; no Tag at all deletes every tag): all instances or none.
   */
  private String changeTags(String action, Params q, Principal p, String requestId) {
    require(p, Permission.OPERATE_VMS, action);
    List<String> ids = q.list("ResourceId");
    if (ids.isEmpty()) {
      throw Ec2Exception.missing("ResourceId.1", "i-0123456789abcdef0");
    }
    boolean create = action.equals("CreateTags");
    Map<String, @Nullable String> given = Tags.read(q, "Tag", !create);
    if (create && given.isEmpty()) {
      throw Ec2Exception.missing("Tag.1.Key", "Name");
    }
    given.forEach((k, v) -> {
      Tags.checkKey(k);
      if (v != null) {
        Tags.checkValue(k, v);
      }
    });
    controller.call(() -> {
      Map<String, Map<String, String>> labels = new LinkedHashMap<>();
      for (String id : ids) {
        if (!id.startsWith("i-")) {
          throw new Ec2Exception("InvalidID", 400, "The ID '" + id + "' is not valid: Corral tags instances only (i-...)");
        }
        Vm v = byInstanceId(id);
        if (v == null || !visible(p, v)) {
          throw notFound(id);
        }
        if (!allowed(p, Permission.OPERATE_VMS, v.owner())) {
          throw new Ec2Exception("UnauthorizedOperation", 403, "You are not authorized to perform this operation on " + id);
        }
        Map<String, String> now = new TreeMap<>(labels.getOrDefault(v.name(), v.spec().labels()));
        if (create) {
          given.forEach((k, val) -> now.put(k, java.util.Objects.requireNonNull(val)));
        } else if (given.isEmpty()) {
          now.clear();
        } else {
          given.forEach((k, val) -> now.computeIfPresent(k, (key, old) -> val == null || val.equals(old) ? null : old));
        }
        labels.put(v.name(), Tags.checkAll(id, now));
      }
      return controller.commands().setLabels(labels, p.actor());
    });
    return Ec2Xml.response(action, requestId).leaf("return", "true").end(action);
  }

  /** DescribeTags: the tags of the instances the caller may see; Filter resource-id, resource-type, key, value. */
  private String describeTags(Params q, Principal p, String requestId) {
    require(p, Permission.READ_VMS, "DescribeTags");
    List<Predicate<String[]>> filters = new ArrayList<>();
    for (int n = 1; ; n++) {
      String name = q.one("Filter." + n + ".Name");
      if (name == null) {
        break;
      }
      List<String> values = q.list("Filter." + n + ".Value");
      int field = switch (name) {
        case "resource-id" -> 0;
        case "resource-type" -> 1;
        case "key" -> 2;
        case "value" -> 3;
        default -> throw new Ec2Exception("InvalidParameterValue", 400, "The filter '" + name + "' is invalid; Corral filters tags by"
            + " resource-id, resource-type, key and value");
      };
      filters.add(t -> values.contains(t[field]));
    }
    Ec2Xml x = Ec2Xml.response("DescribeTags", requestId).open("tagSet");
    for (Vm v : controller.state().published().vms().values()) {
      if (!visible(p, v)) {
        continue;
      }
      String id = instanceId(v);
      for (Map.Entry<String, String> tag : tagsOf(v).entrySet()) {
        String[] t = {id, "instance", tag.getKey(), tag.getValue()};
        if (filters.stream().allMatch(f -> f.test(t))) {
          x.open("item").leaf("resourceId", id).leaf("resourceType", "instance").leaf("key", tag.getKey())
              .leaf("value", tag.getValue()).close("item");
        }
      }
    }
    return x.close("tagSet").end("DescribeTags");
  }

  /** An instance's tags: its labels, and its Corral name as the read-only tag corral:name. */
  private static Map<String, String> tagsOf(Vm v) {
    Map<String, String> tags = new LinkedHashMap<>(v.spec().labels());
    tags.putIfAbsent(Tags.NAME_TAG, v.name());
    return tags;
  }

  // ---- DescribeInstances --------------------------------------------------------------------------

  private String describeInstances(Params q, Principal p, String requestId) {
    require(p, Permission.READ_VMS, "DescribeInstances");
    List<String> ids = q.list("InstanceId");
    Predicate<Vm> filter = filters(q);
    int maxResults = q.integer("MaxResults", 1000);
    if (maxResults < 5 || maxResults > 1000) {
      throw Ec2Exception.invalid("MaxResults", "must be 5 to 1000, got " + maxResults);
    }
    String after = q.one("NextToken") == null ? null : token(q.one("NextToken"));
    java.util.NavigableMap<String, Vm> gone = terminated.recent(controller.clock().now());
    List<Vm> page = new ArrayList<>();
    String next = null;
    if (!ids.isEmpty()) {
      // By id: each found through the index on the loop (O(1) apiece), in one hop; no pages, as EC2.
      if (q.one("MaxResults") != null || after != null) {
        throw new Ec2Exception("InvalidParameterCombination", 400, "MaxResults and NextToken cannot be given with InstanceId");
      }
      List<java.util.Optional<Vm>> found = controller.call(() -> ids.stream().map(id -> java.util.Optional.ofNullable(byInstanceId(id)))
          .toList());
      java.util.TreeMap<String, Vm> byName = new java.util.TreeMap<>();
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        Vm v = found.get(i).orElse(null);
        if (v == null) {
          v = gone.values().stream().filter(t -> instanceId(t).equals(id)).findFirst().orElse(null);
        }
        if (v == null || !visible(p, v)) {
          throw notFound(id);
        }
        if (filter.test(v)) {
          byName.put(v.name(), v);
        }
      }
      page.addAll(byName.values());
    } else {
      java.util.NavigableMap<String, Vm> vms = controller.state().published().vms();
      for (Vm v : merged(after == null ? vms : vms.tailMap(after, false), after == null ? gone : gone.tailMap(after, false))) {
        if (!visible(p, v) || !filter.test(v)) {
          continue;
        }
        if (page.size() == maxResults) {
          next = Base64.getUrlEncoder().withoutPadding().encodeToString(page.get(page.size() - 1).name().getBytes(StandardCharsets.UTF_8));
          break;
        }
        page.add(v);
      }
    }
    Ec2Xml x = Ec2Xml.response("DescribeInstances", requestId).open("reservationSet");
    for (Vm v : page) {
      x.open("item").leaf("reservationId", reservationId(v)).leaf("ownerId", v.owner()).open("groupSet").close("groupSet")
          .open("instancesSet").open("item");
      instance(x, v, 0);
      x.close("item").close("instancesSet").close("item");
    }
    x.close("reservationSet").leaf("nextToken", next);
    return x.end("DescribeInstances");
  }

  /**
   * The live VMs and the recently terminated ones in one name order; a live VM hides a terminated
   * one of the same name (the name was used again).
   */
  static Iterable<Vm> merged(java.util.NavigableMap<String, Vm> live, java.util.NavigableMap<String, Vm> gone) {
    if (gone.isEmpty()) {
      return live.values();
    }
    return () -> new java.util.Iterator<>() {
      private final java.util.Iterator<Vm> a = live.values().iterator();
      private final java.util.Iterator<Vm> b = gone.values().iterator();
      private @Nullable Vm x = a.hasNext() ? a.next() : null;
      private @Nullable Vm y = b.hasNext() ? b.next() : null;

      @Override
      public boolean hasNext() {
        return x != null || y != null;
      }

      @Override
      public Vm next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Vm out;
        if (y == null || (x != null && x.name().compareTo(y.name()) <= 0)) {
          out = java.util.Objects.requireNonNull(x);
          if (y != null && y.name().equals(out.name())) {
            y = b.hasNext() ? b.next() : null;
          }
          x = a.hasNext() ? a.next() : null;
        } else {
          out = y;
          y = b.hasNext() ? b.next() : null;
        }
        return out;
      }
    };
  }

  private static String token(String text) {
    try {
      return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Ec2Exception.invalid("NextToken", "is not a token this endpoint gave; start again without it");
    }
  }

  /** Filter.N.Name with Filter.N.Value.M: instance-state-name, instance-id, instance-type, tag:KEY, tag-key, tag-value. */
  private Predicate<Vm> filters(Params q) {
    Predicate<Vm> all = v -> true;
    for (int n = 1; ; n++) {
      String name = q.one("Filter." + n + ".Name");
      if (name == null) {
        break;
      }
      List<String> values = q.list("Filter." + n + ".Value");
      Predicate<Vm> f = switch (name) {
        case "instance-state-name" -> v -> values.contains(state(v).labelName());
        case "instance-id" -> v -> values.contains(instanceId(v));
        case "instance-type" -> v -> values.contains(types.nameOf(v.spec().cpus(), v.spec().memoryMib()));
        case "tag-key" -> v -> values.stream().anyMatch(tagsOf(v)::containsKey);
        case "tag-value" -> v -> tagsOf(v).values().stream().anyMatch(values::contains);
        default -> {
          if (name.startsWith("tag:")) {
            String key = name.substring(4);
            yield v -> values.contains(tagsOf(v).get(key));
          }
          throw new Ec2Exception("InvalidParameterValue", 400, "The filter '" + name + "' is invalid; Corral filters instances by"
              + " instance-state-name, instance-id, instance-type, tag:KEY, tag-key and tag-value");
        }
      };
      all = all.and(f);
    }
    return all;
  }

  // ---- Start/Stop/Terminate -----------------------------------------------------------------------

  private interface VmCommand {
    Vm apply(Vm vm, String who);
  }

  private String change(String action, Params q, Principal p, String requestId, VmCommand command) {
    require(p, Permission.OPERATE_VMS, action);
    List<String> ids = q.list("InstanceId");
    if (ids.isEmpty()) {
      throw Ec2Exception.missing("InstanceId.1", "i-0123456789abcdef0");
    }
    List<Vm[]> changed = controller.call(() -> {
      List<Vm> found = new ArrayList<>();
      for (String id : ids) {
        Vm v = byInstanceId(id);
        if (v == null || !visible(p, v)) {
          throw notFound(id);
        }
        if (!allowed(p, Permission.OPERATE_VMS, v.owner())) {
          throw new Ec2Exception("UnauthorizedOperation", 403, "You are not authorized to perform this operation on " + id);
        }
        found.add(v);
      }
      List<Vm[]> out = new ArrayList<>();
      for (Vm v : found) {
        out.add(new Vm[] {v, command.apply(v, p.actor())});
      }
      return out;
    });
    Ec2Xml x = Ec2Xml.response(action, requestId).open("instancesSet");
    for (Vm[] c : changed) {
      x.open("item").leaf("instanceId", instanceId(c[0]));
      stateElement(x, "currentState", state(c[1]));
      stateElement(x, "previousState", state(c[0]));
      x.close("item");
    }
    x.close("instancesSet");
    return x.end(action);
  }

  /** RebootInstances answers only {@code return}, as EC2; each instance is rebooted in place (RebootVm). */
  private String reboot(Params q, Principal p, String requestId) {
    change("RebootInstances", q, p, requestId, (vm, who) -> controller.commands().rebootVm(vm.name(), who));
    return Ec2Xml.response("RebootInstances", requestId).leaf("return", "true").end("RebootInstances");
  }

  private @Nullable Vm byInstanceId(String id) {
    if (!id.matches("i-[0-9a-f]{17}")) {
      throw new Ec2Exception("InvalidInstanceID.Malformed", 400, "Invalid id: \"" + id + "\" (expecting \"i-\" and 17 hex digits)");
    }
    return controller.state().vmByShortId(id.substring(2)).orElse(null);
  }

  private static Ec2Exception notFound(String id) {
    return new Ec2Exception("InvalidInstanceID.NotFound", 400, "The instance ID '" + id + "' does not exist");
  }

  // ---- catalogue ----------------------------------------------------------------------------------

  private String describeImages(Params q, Principal p, String requestId) {
    require(p, Permission.READ_CATALOG, "DescribeImages");
    List<String> ids = q.list("ImageId");
    Ec2Xml x = Ec2Xml.response("DescribeImages", requestId).open("imagesSet");
    for (Image i : controller.state().images()) {
      if (!ids.isEmpty() && !ids.contains(imageId(i.name()))) {
        continue;
      }
      x.open("item").leaf("imageId", imageId(i.name())).leaf("imageLocation", i.pool() + "/" + i.volume())
          .leaf("imageState", "available").leaf("imageOwnerId", "corral").leaf("isPublic", "true")
          .leaf("architecture", "x86_64").leaf("imageType", "machine").leaf("name", i.name())
          .leaf("rootDeviceType", "ebs").leaf("rootDeviceName", "/dev/vda").leaf("virtualizationType", "hvm")
          .leaf("hypervisor", "kvm").close("item");
    }
    return x.close("imagesSet").end("DescribeImages");
  }

  private String describeInstanceTypes(Params q, Principal p, String requestId) {
    require(p, Permission.READ_CATALOG, "DescribeInstanceTypes");
    List<String> names = q.list("InstanceType");
    Ec2Xml x = Ec2Xml.response("DescribeInstanceTypes", requestId).open("instanceTypeSet");
    for (String n : names) {
      if (types.byName(n) == null) {
        throw new Ec2Exception("InvalidInstanceType", 400, "The instance type '" + n + "' does not exist; the instance types are"
            + " corral.yaml's flavours: " + types.all().stream().map(Flavour::name).toList());
      }
    }
    for (Flavour t : types.all()) {
      if (names.isEmpty() || names.contains(t.name())) {
        x.open("item").leaf("instanceType", t.name()).leaf("currentGeneration", "true")
            .open("vCpuInfo").leaf("defaultVCpus", t.cpus()).close("vCpuInfo")
            .open("memoryInfo").leaf("sizeInMiB", t.memoryMib()).close("memoryInfo").close("item");
      }
    }
    return x.close("instanceTypeSet").end("DescribeInstanceTypes");
  }

  private String describeRegions(Params q, Principal p, String requestId) {
    require(p, Permission.READ_CATALOG, "DescribeRegions");
    return Ec2Xml.response("DescribeRegions", requestId).open("regionInfo").open("item").leaf("regionName", region)
        .leaf("regionEndpoint", "corral").leaf("optInStatus", "opt-in-not-required").close("item").close("regionInfo")
        .end("DescribeRegions");
  }

  private String describeZones(Params q, Principal p, String requestId) {
    require(p, Permission.READ_CATALOG, "DescribeAvailabilityZones");
    Ec2Xml x = Ec2Xml.response("DescribeAvailabilityZones", requestId).open("availabilityZoneInfo");
    for (String z : zones()) {
      x.open("item").leaf("zoneName", z).leaf("zoneState", "available").leaf("regionName", region).leaf("zoneId", z)
          .leaf("zoneType", "availability-zone").close("item");
    }
    return x.close("availabilityZoneInfo").end("DescribeAvailabilityZones");
  }

  /** A zone per value of the hosts' {@code zone} label, and the default zone for hosts without one. */
  private List<String> zones() {
    java.util.TreeSet<String> zones = new java.util.TreeSet<>();
    zones.add(defaultZone());
    for (Host h : controller.state().published().hosts().values()) {
      String z = h.labels().get(ZONE_LABEL);
      if (z != null) {
        zones.add(z);
      }
    }
    return List.copyOf(zones);
  }

  private String defaultZone() {
    return region + "a";
  }

  // ---- views --------------------------------------------------------------------------------------

  /** EC2's instance states, with their codes. */
  enum State {
    PENDING(0, "pending"), RUNNING(16, "running"), SHUTTING_DOWN(32, "shutting-down"), TERMINATED(48, "terminated"),
    STOPPING(64, "stopping"), STOPPED(80, "stopped");

    final int code;
    final String label;

    State(int code, String label) {
      this.code = code;
      this.label = label;
    }

    String labelName() {
      return label;
    }
  }

  static State state(Vm v) {
    if (v.state() == VmState.DELETED) {
      return State.TERMINATED;
    }
    if (v.desired() == DesiredState.DELETED) {
      return State.SHUTTING_DOWN;
    }
    return switch (v.state()) {
      case PENDING, HOLD, PROVISIONING, BOOTING, RECOVERING -> State.PENDING;
      case RUNNING, MIGRATING, UNKNOWN -> State.RUNNING;
      case STOPPING -> State.STOPPING;
      case STOPPED, SUSPENDED, FAILED -> State.STOPPED;
      case DELETED -> State.TERMINATED;
    };
  }

  private static void stateElement(Ec2Xml x, String name, State s) {
    x.open(name).leaf("code", s.code).leaf("name", s.labelName()).close(name);
  }

  private void instance(Ec2Xml x, Vm v, int launchIndex) {
    String image = v.spec().disks().isEmpty() ? null : v.spec().disks().get(0).image();
    x.leaf("instanceId", instanceId(v)).leaf("imageId", image == null ? null : imageId(image));
    stateElement(x, "instanceState", state(v));
    x.leaf("reason", v.stateReason()).leaf("amiLaunchIndex", launchIndex)
        .leaf("instanceType", types.nameOf(v.spec().cpus(), v.spec().memoryMib()))
        .leaf("launchTime", v.created().toString())
        .open("placement").leaf("availabilityZone", zoneOf(v)).leaf("tenancy", "default").close("placement")
        .open("monitoring").leaf("state", "disabled").close("monitoring");
    if (!v.leases().isEmpty()) {
      x.leaf("privateIpAddress", v.leases().get(0).ip());
    }
    x.leaf("architecture", "x86_64").leaf("rootDeviceType", "ebs").leaf("virtualizationType", "hvm").leaf("hypervisor", "kvm");
    x.open("tagSet");
    tagsOf(v).forEach((k, val) -> x.open("item").leaf("key", k).leaf("value", val).close("item"));
    x.close("tagSet");
  }

  private String zoneOf(Vm v) {
    Host h = v.host() == null ? null : controller.state().published().hosts().get(v.host());
    String z = h == null ? null : h.labels().get(ZONE_LABEL);
    return z != null ? z : defaultZone();
  }

  private static String reservationId(Vm v) {
    return "r-" + instanceId(v).substring(2);
  }

  // ---- access -------------------------------------------------------------------------------------

  private static void require(Principal p, Permission what, String action) {
    if (!AccessPolicy.allows(p.role(), what, AccessPolicy.Relation.ROUTE)) {
      throw new Ec2Exception("UnauthorizedOperation", 403, "You are not authorized to perform this operation (" + action
          + " needs a role that may " + what.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
    }
  }

  private boolean visible(Principal p, Vm v) {
    return allowed(p, Permission.READ_VMS, v.owner());
  }

  private boolean allowed(Principal p, Permission what, String owner) {
    String ownerGroup = controller.state().user(owner).map(User::group).orElse(null);
    return AccessPolicy.allows(p.role(), what, AccessPolicy.relation(p, owner, ownerGroup));
  }
}
