package org.eseg.infer;

/**
 * A per-pixel prediction for one image.
 *
 * @param height rows
 * @param width columns
 * @param labels the class index of each pixel, row-major, unsigned bytes
 * @param confidence the softmax probability of the predicted class of each pixel
 */
public record Segmentation(int height, int width, byte[] labels, float[] confidence) {

    /**
     * The class of one pixel.
     *
     * @param y row
     * @param x column
     * @return the class index
     */
    public int label(int y, int x) {
        return labels[y * width + x] & 0xFF;
    }
}
