package org.eseg.data;

/**
 * A decoded image with its label map of the same size.
 *
 * @param id the sample's name (e.g. the file stem)
 * @param image the image
 * @param mask the train-id labels
 */
public record LabeledImage(String id, RgbImage image, LabelMap mask) {

    /** Checks that image and mask have the same size. */
    public LabeledImage {
        if (image.height() != mask.height() || image.width() != mask.width()) {
            throw new IllegalArgumentException("image " + image.height() + "x" + image.width()
                    + " and mask " + mask.height() + "x" + mask.width() + " differ in size for " + id);
        }
    }
}
