package org.eseg.data;

/**
 * An RGB image as planar floats: {@code data[c * height * width + y * width + x]}, channel c in R, G, B order,
 * values in [0, 255]. Planar layout makes the NCHW batch a plain copy.
 *
 * @param height rows
 * @param width columns
 * @param data the 3 planes (mutable: transforms may work in place on their own copies)
 */
public record RgbImage(int height, int width, float[] data) {

    /** Validates the size. */
    public RgbImage {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if (data.length != 3 * height * width) {
            throw new IllegalArgumentException(
                    "expected " + 3 * height * width + " values for " + height + "x" + width + ", got " + data.length);
        }
    }

    /**
     * Creates a black image.
     *
     * @param height rows
     * @param width columns
     * @return the image
     */
    public static RgbImage zeros(int height, int width) {
        return new RgbImage(height, width, new float[3 * height * width]);
    }

    /**
     * Reads one value.
     *
     * @param c channel 0..2
     * @param y row
     * @param x column
     * @return the value
     */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /**
     * Returns a deep copy.
     *
     * @return the copy
     */
    public RgbImage copy() {
        return new RgbImage(height, width, data.clone());
    }
}
