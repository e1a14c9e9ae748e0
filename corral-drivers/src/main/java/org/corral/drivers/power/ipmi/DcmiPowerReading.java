package org.corral.drivers.power.ipmi;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerReading;

/**
 * Reads what {@code ipmitool dcmi power reading} prints. Pure: no I/O. ipmitool 1.8 writes, on
 * success (lib/ipmi_dcmi.c, {@code ipmi_dcmi_pwr_rd}):
 * <pre>
 *     Instantaneous power reading:                   212 Watts
 *     Minimum during sampling period:                 96 Watts
 *     ...
 *     Power reading state is:                   activated
 * </pre>
 * and, when the BMC refuses the command (no DCMI, as OpenIPMI's ipmi_sim), exits 1 with
 * {@code DCMI request failed because: Invalid command (c1)} on stderr.
 */
final class DcmiPowerReading {
  /** ipmitool's command words. */
  static final List<String> COMMAND = List.of("dcmi", "power", "reading");

  private static final Pattern INSTANTANEOUS = Pattern.compile(
      "^\\s*Instantaneous power reading:\\s*(\\d+)\\s+Watts\\s*$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
  private static final Pattern STATE = Pattern.compile(
      "^\\s*Power reading state is:\\s*(\\S+)", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
  private static final Pattern REFUSED = Pattern.compile("DCMI request failed because:\\s*(.+)");

  private DcmiPowerReading() {}

  /**
   * The reading in the output of a run that exited 0: {@link PowerReading.Measured} with the
   * instantaneous figure, or {@link PowerReading.NotReported} when the BMC says its power
   * measurement is deactivated (the figure is then meaningless).
   *
   * @throws DriverException TRANSIENT naming ipmitool's last line when there is no reading in it
   */
  static PowerReading parse(String bmc, String stdout) {
    Matcher state = STATE.matcher(stdout);
    if (state.find() && state.group(1).equalsIgnoreCase("deactivated")) {
      return new PowerReading.NotReported("power measurement is deactivated on BMC " + bmc
          + " (ipmitool dcmi power reading: \"Power reading state is: deactivated\")");
    }
    Matcher m = INSTANTANEOUS.matcher(stdout);
    if (!m.find()) {
      throw new DriverException(Kind.TRANSIENT, "ipmitool dcmi power reading on BMC " + bmc
          + " printed no \"Instantaneous power reading: N Watts\" line (last line: " + IpmitoolFailure.lastLine(stdout) + ")");
    }
    return new PowerReading.Measured(Double.parseDouble(m.group(1)));
  }

  /**
   * The BMC's refusal in the stderr of a run that failed, if that is why it failed: the session
   * was set up and the BMC answered the DCMI command with an error (it does not support it). Any
   * other failure (no answer, wrong password) is not a refusal.
   */
  static Optional<PowerReading.NotReported> refusal(String bmc, String stderr) {
    Matcher m = REFUSED.matcher(stderr);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new PowerReading.NotReported("BMC " + bmc + " does not report power (ipmitool dcmi power reading: "
        + m.group(1).strip() + ")"));
  }
}
