/**
 * What decisions produce: a {@link org.corral.model.plan.Plan} of sealed
 * {@link org.corral.model.plan.Action}s, each with its {@link org.corral.model.plan.Cause}. Policies
 * return plans; only the executor carries them out.
 */
@NullMarked
package org.corral.model.plan;

import org.jspecify.annotations.NullMarked;
