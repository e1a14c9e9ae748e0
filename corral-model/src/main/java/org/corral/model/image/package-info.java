/** Disk images in the repository, cloned copy-on-write when a VM is deployed. */
@NullMarked
package org.corral.model.image;

import org.jspecify.annotations.NullMarked;
