/**
 * Consolidation decisions (the energy study and the published PlanetLab benchmark), pure
 * functions of observed utilisation: overload detectors ({@link
 * org.corral.policy.consolidation.OverloadDetector}: THR, IQR, MAD, LR, LRR) and VM selection
 * ({@link org.corral.policy.consolidation.VmSelector}: MMT, MU, MC, RS, second most loaded).
 * Each is one small class, named and registered in {@link
 * org.corral.policy.consolidation.ConsolidationPolicies}; parameters and fallbacks follow
 * CloudSim 3.0.3 as shared/reference/cloudsim-3.0.3.md §5.2-5.3 describes it, except where a
 * class says it does better (LRR is the real robust fit).
 */
@NullMarked
package org.corral.policy.consolidation;

import org.jspecify.annotations.NullMarked;
