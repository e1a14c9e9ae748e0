/** The controller as one piece: {@link org.corral.controller.Controller} assembles state, executor, loops and commands, with its settings. */
@NullMarked
package org.corral.controller;

import org.jspecify.annotations.NullMarked;
