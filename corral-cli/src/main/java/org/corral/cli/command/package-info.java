/**
 * The commands under {@code corral}: one class per noun (host, vm, network, image, events,
 * actions, sim, status), each verb a small method that makes one API call and shows the
 * answer. {@link org.corral.cli.command.Session} carries what a run shares (streams,
 * environment, global options, the API client, the clock); waiting for a VM to settle lives
 * here too ({@link org.corral.cli.command.VmWaiter}).
 */
@NullMarked
package org.corral.cli.command;

import org.jspecify.annotations.NullMarked;
