package org.corral.controller.ec2;

import java.util.List;
import org.corral.model.InvalidInputException;

/**
 * A VM size under a name, corral.yaml's {@code flavours:}: what the EC2 API offers as instance
 * types (RunInstances' {@code InstanceType}, DescribeInstanceTypes).
 *
 * @param name      the instance type's name, e.g. {@code t2.micro}: letters, digits, '.', '-' and '_'
 * @param cpus      vCPUs, at least 1
 * @param memoryMib memory in MiB, at least 64
 */
public record Flavour(String name, int cpus, long memoryMib) {
  /** The flavours when corral.yaml names none: EC2's names for the sizes a developer usually asks for. */
  public static final List<Flavour> DEFAULTS = List.of(
      new Flavour("t2.nano", 1, 512),
      new Flavour("t2.micro", 1, 1024),
      new Flavour("t2.small", 1, 2048),
      new Flavour("t2.medium", 2, 4096),
      new Flavour("m5.large", 2, 8192),
      new Flavour("m5.xlarge", 4, 16384),
      new Flavour("m5.2xlarge", 8, 32768));

  public Flavour {
    if (name == null || !name.matches("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?")) {
      throw new InvalidInputException("name", InvalidInputException.quote(name) + " is not a flavour name",
          "1 to 64 letters, digits, '.', '-' or '_', e.g. t2.micro or m1.large");
    }
    if (cpus < 1) {
      throw new InvalidInputException("cpus", "must be at least 1, got " + cpus, "give the flavour's vCPUs, e.g. cpus: 2");
    }
    if (memoryMib < 64) {
      throw new InvalidInputException("memoryMib", "must be at least 64, got " + memoryMib, "give the flavour's memory in MiB, e.g. memoryMib: 4096");
    }
  }
}
