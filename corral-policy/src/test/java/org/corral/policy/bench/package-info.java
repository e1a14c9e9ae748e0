/**
 * Benchmarks run by {@code bench/placement}, not by the test suite: a plain harness (warm-up
 * iterations, then several measured runs, median and minimum) that prints a Markdown table for
 * docs/benchmarks.md.
 */
package org.corral.policy.bench;
