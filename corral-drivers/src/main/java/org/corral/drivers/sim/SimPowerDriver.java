package org.corral.drivers.sim;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;

/**
 * The BMCs of one {@link SimDataCenter}'s hosts; {@link PowerTarget#uri()} is
 * {@code sim://<dc>/<host>}. Power-on completes after {@link SimLatencies#powerOn()}, when the
 * host's hypervisor answers (with no domains after a crash, with its definitions after a
 * power-off). A graceful power-off stops the domains at once (the OS shuts down) and completes
 * after {@link SimLatencies#powerOff()}; a hard one is immediate. All fail UNREACHABLE while the
 * BMC is unreachable. The chassis reports ON from the power-on command until it is off again.
 */
public final class SimPowerDriver implements PowerDriver {
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
  private final SimDataCenter dc;

  public SimPowerDriver(SimDataCenter dc) {
    this.dc = dc;
  }

  @Override
  public Set<String> schemes() {
    return Set.of(SimUri.SCHEME);
  }

  @Override
  public CompletionStage<Void> powerOn(PowerTarget target) {
    return dc.call(() -> {
      SimHost h = bmc(target);
      return switch (h.power) {
        case ON -> DONE;
        case POWERING_ON -> h.powerOpInFlight().stage.copy();
        case POWERING_OFF -> throw new DriverException(Kind.TRANSIENT,
            "host " + h.name() + " is still powering off; power it on once it is off");
        case OFF -> switchOn(h);
      };
    });
  }

  @Override
  public CompletionStage<Void> powerOff(PowerTarget target, boolean hard) {
    return dc.call(() -> {
      SimHost h = bmc(target);
      switch (h.power) {
        case OFF -> {
          return DONE;
        }
        case POWERING_OFF -> {
          if (!hard) {
            return h.powerOpInFlight().stage.copy();
          }
          dc.accrue(h);
          h.power = SimPower.OFF;
          dc.succeed(h.powerOpInFlight()); // what the graceful power-off wanted, sooner
          h.powerOp = null;
          return DONE;
        }
        case POWERING_ON -> {
          if (!hard) {
            throw new DriverException(Kind.TRANSIENT, "host " + h.name() + " is still powering on; retry once it is up");
          }
          dc.abort(h.powerOpInFlight(), new DriverException(Kind.TRANSIENT, "power-on of " + h.name() + " interrupted by a hard power-off"));
        }
        case ON -> { }
      }
      halt(h, hard ? "powered off (hard)" : "powering off");
      if (hard) {
        h.power = SimPower.OFF;
        return DONE;
      }
      h.power = SimPower.POWERING_OFF;
      PendingOp op = powerOp(h, "power-off of " + h.name());
      op.timers.add(dc.later(dc.latencies().powerOff(), () -> {
        if (op.finished) {
          return;
        }
        dc.accrue(h);
        h.power = SimPower.OFF;
        h.powerOp = null;
        dc.succeed(op);
      }));
      return op.stage.copy();
    });
  }

  @Override
  public CompletionStage<Void> cycle(PowerTarget target) {
    return dc.call(() -> {
      SimHost h = bmc(target);
      if (h.powerOp != null) {
        dc.abort(h.powerOp, new DriverException(Kind.TRANSIENT, h.powerOp.what + " interrupted by a power cycle"));
      }
      if (h.power != SimPower.OFF) {
        halt(h, "power cycled");
        h.power = SimPower.OFF;
      }
      return switchOn(h);
    });
  }

  @Override
  public CompletionStage<PowerStatus> status(PowerTarget target) {
    return dc.call(() -> CompletableFuture.completedFuture(bmc(target).power.chassisOn() ? PowerStatus.ON : PowerStatus.OFF));
  }

  /**
   * Soft fencing, as {@code systemctl restart libvirtd} over SSH: needs the host's OS to answer on
   * its management network (on, not crashed, not partitioned; the BMC plays no part), else
   * UNREACHABLE. The daemon answers again at once; the guests were never touched.
   */
  @Override
  public CompletionStage<Void> restartHypervisor(PowerTarget target) {
    return dc.call(() -> {
      SimHost h = dc.hostFor(SimUri.parse(target.uri()));
      if (h.power != SimPower.ON || h.crashed || h.partitioned) {
        throw dc.unreachable(h, "ssh: " + SimHypervisorDriver.whyNotAnswering(h));
      }
      dc.restartDaemon(h);
      return DONE;
    });
  }

  private CompletionStage<Void> switchOn(SimHost h) {
    dc.accrue(h);
    h.power = SimPower.POWERING_ON;
    h.crashed = false;
    h.daemonDown = false;
    PendingOp op = powerOp(h, "power-on of " + h.name());
    op.timers.add(dc.later(dc.latencies().powerOn(), () -> {
      if (op.finished) {
        return;
      }
      dc.accrue(h);
      h.power = SimPower.ON;
      h.busyCoreNanos = 0; // a fresh kernel's counters
      h.powerOp = null;
      dc.resumeRenewing(h);
      dc.succeed(op);
    }));
    return op.stage.copy();
  }

  private PendingOp powerOp(SimHost h, String what) {
    PendingOp op = dc.begin(what, List.of(h));
    op.viaBmc = true;
    op.onAbort = () -> {
      if (h.powerOp == op) {
        h.powerOp = null;
      }
    };
    h.powerOp = op;
    return op;
  }

  /** The OS goes down: operations on the host fail, domains stop (definitions stay), connections drop. */
  private void halt(SimHost h, String why) {
    dc.accrue(h);
    DriverException lost = dc.unreachable(h, why);
    for (PendingOp op : List.copyOf(dc.pending)) {
      if (op.involves(h) && !op.viaBmc) {
        dc.abort(op, lost);
      }
    }
    for (SimDomain d : h.domains.values()) {
      d.phase = DomainPhase.SHUTOFF;
      d.cpuNanos = 0;
      d.op = null;
    }
    h.incomingMib = 0;
    dc.stopRenewing(h);
    dc.stopAnswering(h);
  }

  private SimHost bmc(PowerTarget target) {
    if (target == null) {
      throw new DriverException(Kind.REJECTED, "power target is missing");
    }
    SimHost h = dc.hostFor(SimUri.parse(target.uri()));
    if (!h.bmcReachable) {
      throw new DriverException(Kind.UNREACHABLE, "BMC of host " + h.name() + " does not answer (simulated)");
    }
    return h;
  }
}
