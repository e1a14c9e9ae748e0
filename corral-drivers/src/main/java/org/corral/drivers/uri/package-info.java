/**
 * Parsing of the target URIs that pick and configure a power driver, probe or guest-exec
 * transport ({@code ipmi://}, {@code wol://}, {@code ssh://}, {@code tcp://}, ...). Every
 * problem is an {@link org.corral.model.InvalidInputException} naming the configuration field,
 * so a typo in a host's power URI is reported when it is used, never guessed around.
 */
@NullMarked
package org.corral.drivers.uri;

import org.jspecify.annotations.NullMarked;
