/**
 * A simulated data centre behind the real driver SPI: hosts with capacity and a power model,
 * domains with workload models, live migration, power control, guest exec, and faults (crash,
 * network partition, unreachable BMC, failing migrations). Everything that takes time completes on
 * the injected {@link org.corral.model.time.Clock}, so on a
 * {@link org.corral.model.time.VirtualClock} a whole lab runs deterministically on the thread that
 * advances the clock, and on a {@link org.corral.model.time.SystemClock} it runs in real time.
 *
 * <p>What belongs here: {@link org.corral.drivers.sim.SimDataCenter} (the lab's state, faults,
 * energy accounting, state file), the drivers over it ({@code SimHypervisorDriver},
 * {@code SimPowerDriver}, {@code SimGuestExec}) and the value types that configure it
 * ({@code SimLatencies}, {@code WorkloadModel}). Policies and the controller never see these
 * classes; they reach the lab through {@code sim://<dc>/<host>} URIs like any other hardware.
 *
 * <p>Modelling choices, stated once:
 * <ul>
 *   <li>start completes after the {@code boot} latency; the domain shows SHUTOFF (its memory
 *       already reserved) until then and RUNNING from then on; it uses CPU only while RUNNING or
 *       SHUTDOWN (being shut down);</li>
 *   <li>a domain's workload clock starts when its start completes and carries over live
 *       migration and reboot; its cumulative CPU time restarts from zero on each start and on
 *       the destination of a migration (a new qemu process, as libvirt reports it);</li>
 *   <li>CPU overcommit is not throttled: each domain gets its demand; the host's utilisation for
 *       the power model and its busy time are capped at 100 %;</li>
 *   <li>a crash loses the host's domains (definitions too); a power-off stops them and keeps
 *       their definitions, like libvirt's persistent domains;</li>
 *   <li>a host draws its idle power while powering on or off, its off power when off or
 *       crashed.</li>
 * </ul>
 */
@NullMarked
package org.corral.drivers.sim;

import org.jspecify.annotations.NullMarked;
