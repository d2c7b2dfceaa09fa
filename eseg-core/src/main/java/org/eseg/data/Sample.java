package org.eseg.data;

import java.nio.file.Path;

/**
 * One (image, mask) pair on disk.
 *
 * @param id the sample's name, unique within its dataset
 * @param image the image file
 * @param mask the mask file
 */
public record Sample(String id, Path image, Path mask) {}
