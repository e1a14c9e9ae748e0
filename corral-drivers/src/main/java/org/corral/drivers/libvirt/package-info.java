/**
 * The libvirt hypervisor driver: real KVM and Xen hosts (and libvirt's in-process {@code test:///}
 * driver) through the JNA binding {@code org.libvirt:libvirt}. Belongs here: opening and watching
 * connections ({@link org.corral.drivers.libvirt.LibvirtDriver},
 * {@link org.corral.drivers.libvirt.LibvirtConnection}), the pure translation of Corral's
 * {@link org.corral.drivers.hypervisor.DomainSpec} into libvirt XML, storage overlays and the
 * cloud-init seed image, migration flag composition, and the mapping of libvirt errors onto
 * {@link org.corral.drivers.DriverException.Kind}. Every blocking libvirt call runs on its own
 * (platform) thread so that a slow host never holds up another; nothing here decides anything.
 */
@NullMarked
package org.corral.drivers.libvirt;

import org.jspecify.annotations.NullMarked;
