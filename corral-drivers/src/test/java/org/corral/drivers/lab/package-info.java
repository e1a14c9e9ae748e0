/**
 * The real libvirt + QEMU lab (lab/qemu-lab) as tests see it; shared through the test-jar with the
 * controller's and the CLI's tests of the qemu-lab group.
 */
@NullMarked
package org.corral.drivers.lab;

import org.jspecify.annotations.NullMarked;
