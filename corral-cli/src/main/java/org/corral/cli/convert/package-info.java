/**
 * picocli converters for option values that need more than a plain type: non-negative numbers,
 * durations such as {@code 120s}, {@code IMAGE[:SIZEGIB]} disks, placement policy names and
 * workload steps. Each rejects bad text at parse time, so picocli's error names the option and
 * nothing reaches the API.
 */
@NullMarked
package org.corral.cli.convert;

import org.jspecify.annotations.NullMarked;
