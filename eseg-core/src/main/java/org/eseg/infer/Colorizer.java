package org.eseg.infer;

import org.eseg.data.ClassInfo;

/** Turns class indices into pictures: a colour mask with the dataset's palette, and an overlay on the photo. */
public final class Colorizer {

    /** The ignore label is drawn black. */
    private static final int IGNORE_COLOR = 0x000000;

    private Colorizer() {}

    /**
     * A colour mask.
     *
     * @param labels class indices (unsigned bytes), row-major
     * @param classes the palette
     * @return interleaved RGB bytes
     */
    public static byte[] colorMask(byte[] labels, ClassInfo classes) {
        byte[] rgb = new byte[labels.length * 3];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i] & 0xFF;
            int c = l < classes.size() ? classes.color(l) : IGNORE_COLOR;
            rgb[3 * i] = (byte) (c >> 16);
            rgb[3 * i + 1] = (byte) (c >> 8);
            rgb[3 * i + 2] = (byte) c;
        }
        return rgb;
    }

    /**
     * Blends a colour mask over an image: {@code (1 - alpha) · image + alpha · mask}.
     *
     * @param image planar RGB floats in [0, 255] ({@link org.eseg.data.RgbImage#data()})
     * @param mask interleaved RGB bytes of the same size
     * @param alpha mask weight in [0, 1]
     * @return interleaved RGB bytes
     */
    public static byte[] overlay(float[] image, byte[] mask, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        int n = mask.length / 3;
        if (image.length != 3 * n) {
            throw new IllegalArgumentException("image and mask sizes differ: " + image.length + " vs " + mask.length);
        }
        byte[] out = new byte[mask.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double v = (1 - alpha) * image[c * n + i] + alpha * (mask[3 * i + c] & 0xFF);
                out[3 * i + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return out;
    }
}
