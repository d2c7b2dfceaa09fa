package org.eseg.data;

/**
 * A per-pixel label map of train ids, {@code labels[y * width + x]} read unsigned (0..254 classes,
 * 255 = {@link ClassInfo#IGNORE}).
 *
 * @param height rows
 * @param width columns
 * @param labels the labels as unsigned bytes
 */
public record LabelMap(int height, int width, byte[] labels) {

    /** Validates the size. */
    public LabelMap {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + height + "x" + width);
        }
        if (labels.length != height * width) {
            throw new IllegalArgumentException(
                    "expected " + height * width + " labels for " + height + "x" + width + ", got " + labels.length);
        }
    }

    /**
     * Creates a map filled with one label.
     *
     * @param height rows
     * @param width columns
     * @param label the label
     * @return the map
     */
    public static LabelMap filled(int height, int width, int label) {
        byte[] b = new byte[height * width];
        java.util.Arrays.fill(b, (byte) label);
        return new LabelMap(height, width, b);
    }

    /**
     * Reads one label.
     *
     * @param y row
     * @param x column
     * @return the label, 0..255
     */
    public int get(int y, int x) {
        return labels[y * width + x] & 0xFF;
    }

    /**
     * Returns a deep copy.
     *
     * @return the copy
     */
    public LabelMap copy() {
        return new LabelMap(height, width, labels.clone());
    }
}
