/** Disk images in the repository, cloned copy-on-write when a VM is deployed. */
package org.corral.model.image;
