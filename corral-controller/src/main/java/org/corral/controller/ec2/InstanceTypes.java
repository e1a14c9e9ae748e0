package org.corral.controller.ec2;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The instance types RunInstances accepts and DescribeInstanceTypes lists: EC2's names for the
 * sizes a developer usually asks for, each a number of vCPUs and MiB of memory.
 */
final class InstanceTypes {
  record Type(String name, int cpus, long memoryMib) {}

  static final List<Type> ALL = List.of(
      new Type("t2.nano", 1, 512),
      new Type("t2.micro", 1, 1024),
      new Type("t2.small", 1, 2048),
      new Type("t2.medium", 2, 4096),
      new Type("m5.large", 2, 8192),
      new Type("m5.xlarge", 4, 16384),
      new Type("m5.2xlarge", 8, 32768));

  private InstanceTypes() {}

  static @Nullable Type byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  /** The type of a VM of this size: its name when one matches exactly, else {@code corral.<cpus>x<MiB>}. */
  static String nameOf(int cpus, long memoryMib) {
    return ALL.stream().filter(t -> t.cpus() == cpus && t.memoryMib() == memoryMib).map(Type::name).findFirst()
        .orElse("corral." + cpus + "x" + memoryMib);
  }
}
