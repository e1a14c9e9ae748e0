package org.corral.model.vm;

/**
 * A disk cloned copy-on-write from an image.
 *
 * @param image   name of an image in the repository
 * @param sizeGib virtual size; 0 keeps the image's own size
 */
public record DiskSpec(String image, long sizeGib) {}
