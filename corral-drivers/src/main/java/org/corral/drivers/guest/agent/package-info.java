/**
 * Guest exec through the QEMU guest agent ({@code qemu-ga}): a command runs inside a VM over the
 * virtio-serial channel libvirt exposes, with no network or SSH key in the guest. Belongs here:
 * the {@code qemu-ga://} target format, the agent's JSON protocol (guest-exec, guest-exec-status,
 * base64 output) as pure code, and the {@link org.corral.drivers.guest.GuestExec} that drives it
 * through a {@link org.corral.drivers.libvirt.LibvirtConnection}.
 */
@NullMarked
package org.corral.drivers.guest.agent;

import org.jspecify.annotations.NullMarked;
