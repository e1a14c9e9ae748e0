/**
 * How answers look in a terminal: aligned tables, key/value details, human units (2048 MiB is
 * "2.0 GiB") and local times. Pure string building with no I/O, so the layouts are tested
 * directly; which command shows what lives with the commands.
 */
@NullMarked
package org.corral.cli.render;

import org.jspecify.annotations.NullMarked;
