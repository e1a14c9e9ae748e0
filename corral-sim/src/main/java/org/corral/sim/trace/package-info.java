/**
 * Workload traces: {@link org.corral.sim.trace.Trace} (one utilisation series per VM) and one
 * small reader per format: {@link org.corral.sim.trace.PlanetLabReader} (the CoMon/PlanetLab
 * files of the published benchmark) and {@link org.corral.sim.trace.CsvTraceReader} (users' own).
 */
@NullMarked
package org.corral.sim.trace;

import org.jspecify.annotations.NullMarked;
