package org.corral.policy.expr;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The variables declared to CEL. Each is a dotted name ({@code host.free.memoryMib}) so that the
 * checker knows its exact type and a rank like {@code host.free.memoryMib} is provably numeric;
 * to the user they read as fields of {@code host} and {@code vm}.
 */
enum Variables {
  HOST_NAME("host.name", SimpleType.STRING, ExpressionInputs::hostName, false),
  HOST_LABELS("host.labels", MapType.create(SimpleType.STRING, SimpleType.STRING), ExpressionInputs::hostLabels, false),
  HOST_CORES("host.cores", SimpleType.INT, ExpressionInputs::hostCores, false),
  HOST_MHZ("host.mhzPerCore", SimpleType.INT, ExpressionInputs::hostMhzPerCore, false),
  HOST_MEMORY("host.memoryMib", SimpleType.INT, ExpressionInputs::hostMemoryMib, false),
  HOST_FREE_CPUS("host.free.cpus", SimpleType.DOUBLE, ExpressionInputs::hostFreeCpus, true),
  HOST_FREE_MEMORY("host.free.memoryMib", SimpleType.INT, ExpressionInputs::hostFreeMemoryMib, true),
  HOST_UTILISATION("host.cpuUtilisation", SimpleType.DOUBLE, ExpressionInputs::hostCpuUtilisation, false),
  HOST_VMS("host.vms", SimpleType.INT, ExpressionInputs::hostVms, true),
  HOST_STATE("host.state", SimpleType.STRING, ExpressionInputs::hostState, false),
  VM_NAME("vm.name", SimpleType.STRING, ExpressionInputs::vmName, false),
  VM_CPUS("vm.cpus", SimpleType.INT, ExpressionInputs::vmCpus, false),
  VM_MEMORY("vm.memoryMib", SimpleType.INT, ExpressionInputs::vmMemoryMib, false),
  VM_LABELS("vm.labels", MapType.create(SimpleType.STRING, SimpleType.STRING), ExpressionInputs::vmLabels, false);

  private static final Map<String, Variables> BY_NAME = new LinkedHashMap<>();

  static {
    for (Variables v : values()) {
      BY_NAME.put(v.celName, v);
    }
  }

  final String celName;
  final CelType type;
  final Function<ExpressionInputs, Object> read;
  /** True when the value changes as VMs are placed during one scheduling call. */
  final boolean changesWithPlacement;

  Variables(String celName, CelType type, Function<ExpressionInputs, Object> read, boolean changesWithPlacement) {
    this.celName = celName;
    this.type = type;
    this.read = read;
    this.changesWithPlacement = changesWithPlacement;
  }

  boolean isVm() {
    return celName.startsWith("vm.");
  }

  static Optional<Variables> byName(String celName) {
    return Optional.ofNullable(BY_NAME.get(celName));
  }

  /** For error messages: every name an expression may use. */
  static String listing() {
    return String.join(", ", BY_NAME.keySet());
  }
}
