package org.eseg.data.transform;

import org.eseg.data.RgbImage;

/** ImageNet normalisation: {@code (v / 255 - mean) / std} per RGB channel. */
public final class Normalization {

    private Normalization() {}

    /** ImageNet channel means on [0, 1] RGB. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};

    /** ImageNet channel standard deviations on [0, 1] RGB. */
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    /**
     * Writes the normalised planes of an image into a CHW buffer.
     *
     * @param img the image, values in [0, 255]
     * @param dst the destination
     * @param offset where the image's first value goes
     */
    public static void normalizeInto(RgbImage img, float[] dst, int offset) {
        int n = img.height() * img.width();
        float[] s = img.data();
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * STD[c]);
            float shift = MEAN[c] / STD[c];
            int so = c * n;
            int dOff = offset + c * n;
            for (int i = 0; i < n; i++) {
                dst[dOff + i] = s[so + i] * scale - shift;
            }
        }
    }

    /**
     * Returns the normalised CHW planes of an image.
     *
     * @param img the image
     * @return a new array of 3·H·W values
     */
    public static float[] normalize(RgbImage img) {
        float[] out = new float[img.data().length];
        normalizeInto(img, out, 0);
        return out;
    }
}
