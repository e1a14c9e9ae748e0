package org.corral.model.plan;

import org.jspecify.annotations.Nullable;
/**
 * One step of a plan. Closed family: the executor handles each kind in a switch with no default
 * branch, so a new kind of action cannot be forgotten.
 *
 * <p>{@link #key()} is the idempotency key: the executor records it before acting and never runs
 * the same key twice; after a restart an action found in flight is reconciled, not repeated.
 */
public sealed interface Action {
  String key();

  Cause cause();

  /** The VM or host the action is about. */
  String subject();

  /** A short verb for logs and the journal, e.g. "deploy". */
  String verb();

  /**
   * Subjects besides {@link #subject()} that this action keeps busy while queued or running, without
   * queueing behind their own actions: no loop plans anything on them meanwhile.
   */
  default java.util.List<String> alsoBusy() {
    return java.util.List.of();
  }

  /** The same action under another idempotency key (a fresh attempt after a rejection or failure). */
  Action withKey(String key);

  /** Define the VM's domain on {@code host} (disks, NICs) and start it. */
  record DeployVm(String key, String vm, String host, Cause cause) implements Action {
    public String subject() { return vm; }
    public String verb() { return "deploy"; }
    public DeployVm withKey(String k) { return new DeployVm(k, vm, host, cause); }
  }

  /** Start a stopped VM on the host it is defined on. */
  record StartVm(String key, String vm, String host, Cause cause) implements Action {
    public String subject() { return vm; }
    public String verb() { return "start"; }
    public StartVm withKey(String k) { return new StartVm(k, vm, host, cause); }
  }

  /** Shut a VM down: ACPI first, then destroy after the timeout; {@code force} destroys at once. */
  record StopVm(String key, String vm, String host, boolean force, Cause cause) implements Action {
    public String subject() { return vm; }
    public String verb() { return force ? "destroy" : "stop"; }
    public StopVm withKey(String k) { return new StopVm(k, vm, host, force, cause); }
  }

  /**
   * Reboot a running VM in place: a graceful reboot (ACPI or the guest agent), reset when the guest
   * has not rebooted within the executor's shutdown timeout.
   */
  record RebootVm(String key, String vm, String host, Cause cause) implements Action {
    public String subject() { return vm; }
    public String verb() { return "reboot"; }
    public RebootVm withKey(String k) { return new RebootVm(k, vm, host, cause); }
  }

  /** Live-migrate a running VM. */
  record MigrateVm(String key, String vm, String from, String to, Cause cause) implements Action {
    public String subject() { return vm; }
    public String verb() { return "migrate"; }
    public MigrateVm withKey(String k) { return new MigrateVm(k, vm, from, to, cause); }
  }

  /**
   * Start a VM whose host failed (fenced, or proven off) on host {@code to}, from its disks on
   * shared storage: UNKNOWN → RECOVERING → BOOTING → RUNNING.
   */
  record RecoverVm(String key, String vm, String from, String to, Cause cause) implements Action {
    public String subject() { return vm; }
    /**
     * The failed host stays busy until the recovery ends: should it fail, the VM goes back UNKNOWN
     * there to be tried again, so the host must not be switched back on (or woken) under it.
     */
    @Override
    public java.util.List<String> alsoBusy() { return java.util.List.of(from); }
    public String verb() { return "recover"; }
    public RecoverVm withKey(String k) { return new RecoverVm(k, vm, from, to, cause); }
  }

  /** Destroy, undefine and remove the VM's disks; release its leases. {@code host} may be null. */
  record DeleteVm(String key, String vm, @Nullable String host, Cause cause) implements Action {
    public String subject() { return vm; }
    public String verb() { return "delete"; }
    public DeleteVm withKey(String k) { return new DeleteVm(k, vm, host, cause); }
  }

  /** Switch a host on; done when its hypervisor answers. */
  record PowerOnHost(String key, String host, Cause cause) implements Action {
    public String subject() { return host; }
    public String verb() { return "power-on"; }
    public PowerOnHost withKey(String k) { return new PowerOnHost(k, host, cause); }
  }

  /** Switch an empty host off (graceful). */
  record PowerOffHost(String key, String host, Cause cause) implements Action {
    public String subject() { return host; }
    public String verb() { return "power-off"; }
    public PowerOffHost withKey(String k) { return new PowerOffHost(k, host, cause); }
  }

  /**
   * Soft fencing: restart the hypervisor daemon of a host that stopped answering (over SSH,
   * {@code systemctl restart libvirtd}), giving the command {@code timeout}, and wait up to
   * {@code grace} for its hypervisor to answer again. The host stays DOWN meanwhile; UP when it
   * answers (no hard fencing, no recovery), DOWN with the reason when not (then it is fenced).
   */
  record SoftFenceHost(String key, String host, java.time.Duration timeout, java.time.Duration grace, Cause cause)
      implements Action {
    public String subject() { return host; }
    public String verb() { return "soft-fence"; }
    public SoftFenceHost withKey(String k) { return new SoftFenceHost(k, host, timeout, grace, cause); }
  }

  /** Cut a failed host's power so its VMs can safely run elsewhere. */
  record FenceHost(String key, String host, Cause cause) implements Action {
    public String subject() { return host; }
    public String verb() { return "fence"; }
    public FenceHost withKey(String k) { return new FenceHost(k, host, cause); }
  }

  /**
   * Restart services inside a running VM through its guest-exec transport, one after another in
   * {@code services}' order (the failing service first, then the services that depend on it):
   * each by the script contract's {@code restart} argument, or its declared restart command.
   */
  record RestartService(String key, String vm, String host, java.util.List<String> services, Cause cause) implements Action {
    public RestartService {
      services = java.util.List.copyOf(services);
    }
    public String subject() { return vm; }
    public String verb() { return "restart-service"; }
    public RestartService withKey(String k) { return new RestartService(k, vm, host, services, cause); }
  }
}
