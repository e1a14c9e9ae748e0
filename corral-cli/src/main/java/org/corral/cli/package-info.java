/**
 * The {@code corral} program: {@link org.corral.cli.Main} (entry point and testable
 * {@code run}), the root command with the global options, the one method that wires the
 * command tree, error-to-exit-status mapping, and {@code corral up}, which starts the
 * controller in this JVM through the {@link org.corral.cli.ServerLauncher} it is given.
 */
@NullMarked
package org.corral.cli;

import org.jspecify.annotations.NullMarked;
