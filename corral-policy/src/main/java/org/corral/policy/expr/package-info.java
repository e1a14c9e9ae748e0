/**
 * CEL expressions written by users: VM {@code requirements} (which hosts may take a VM, bool) and
 * {@code rank} (how to order the hosts that may, numeric, higher wins). This package declares the
 * variables an expression sees ({@code host.*} and {@code vm.*}), compiles and type-checks
 * expressions once, and evaluates them against {@link org.corral.policy.expr.ExpressionInputs}
 * without building maps per evaluation. Admission calls {@link org.corral.policy.expr.Expressions};
 * the scheduler compiles through an {@link org.corral.policy.expr.ExpressionCache}.
 */
@NullMarked
package org.corral.policy.expr;

import org.jspecify.annotations.NullMarked;
