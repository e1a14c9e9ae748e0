/**
 * User requests: admission (every check that can fail runs before anything is written, so a
 * rejected request changes nothing), then a state change or an action for the executor, with a
 * USER cause. Runs on the controller's loop.
 */
@NullMarked
package org.corral.controller.command;

import org.jspecify.annotations.NullMarked;
