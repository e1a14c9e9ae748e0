package org.corral.model.cluster;

import java.util.List;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;

/**
 * A role metric measured by a command run in one member's guest (through GuestExec) whose
 * standard output is a number, e.g. the TORQUE head's queued jobs. Elasticity rules read it as
 * {@code NAME.mean}, {@code NAME.min}, {@code NAME.max} and {@code NAME.sum}.
 *
 * @param runOn the role on whose first ready member the command runs; null: the role itself
 */
public record MetricProbe(String name, List<String> command, @org.jspecify.annotations.Nullable String runOn) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9_]{0,31}");

  public MetricProbe {
    command = command == null ? List.of() : List.copyOf(command);
  }

  void validate(String field, ClusterSpec spec) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(field + ".name", InvalidInputException.quote(name) + " is not a metric name",
          "a letter then letters, digits or '_' (at most 32), e.g. name: queue");
    }
    if (ElasticitySpec.BUILT_IN.contains(name)) {
      throw new InvalidInputException(field + ".name", InvalidInputException.quote(name) + " is a built-in metric", "choose another name, e.g. queue");
    }
    if (command.isEmpty()) {
      throw new InvalidInputException(field + ".command", "is missing", "give the program and its arguments as a list, e.g. command: [sh, -c, \"qstat | wc -l\"]");
    }
    Templates.check(field + ".command", command, spec);
    if (runOn != null && spec.role(runOn) == null) {
      throw new InvalidInputException(field + ".runOn", "names unknown role " + InvalidInputException.quote(runOn), "roles: " + spec.roleNames());
    }
  }
}
