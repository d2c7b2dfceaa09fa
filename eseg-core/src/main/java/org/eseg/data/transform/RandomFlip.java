package org.eseg.data.transform;

import java.util.random.RandomGenerator;
import org.eseg.data.LabelMap;
import org.eseg.data.LabeledImage;
import org.eseg.data.RgbImage;

/**
 * Mirrors image and mask left-right with a probability.
 *
 * @param probability the chance of flipping, 0..1
 */
public record RandomFlip(double probability) implements Transform {

    /** Validates the probability. */
    public RandomFlip {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + probability);
        }
    }

    @Override
    public LabeledImage apply(LabeledImage in, RandomGenerator rng) {
        // Always draw, so that the generator advances the same way whatever the outcome.
        boolean flip = rng.nextDouble() < probability;
        return flip ? flip(in) : in;
    }

    /**
     * Mirrors a sample left-right.
     *
     * @param in the sample
     * @return a new, mirrored sample
     */
    public static LabeledImage flip(LabeledImage in) {
        RgbImage img = in.image();
        int h = img.height();
        int w = img.width();
        float[] s = img.data();
        float[] d = new float[s.length];
        for (int row = 0; row < 3 * h; row++) {
            int o = row * w;
            for (int x = 0; x < w; x++) {
                d[o + x] = s[o + w - 1 - x];
            }
        }
        byte[] ls = in.mask().labels();
        byte[] ld = new byte[ls.length];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 0; x < w; x++) {
                ld[o + x] = ls[o + w - 1 - x];
            }
        }
        return new LabeledImage(in.id(), new RgbImage(h, w, d), new LabelMap(h, w, ld));
    }
}
