package org.eseg.data.transform;

import java.util.random.RandomGenerator;
import org.eseg.data.ClassInfo;
import org.eseg.data.LabelMap;
import org.eseg.data.LabeledImage;
import org.eseg.data.RgbImage;

/**
 * Crops a random window of exactly {@code height × width}; a smaller sample is padded at the bottom and right
 * (image 0, mask 255). With {@code catMaxRatio < 1} the window is redrawn up to 10 times while a single class
 * covers more than that share of its labelled pixels, as mmsegmentation's {@code cat_max_ratio}.
 *
 * @param height crop rows
 * @param width crop columns
 * @param catMaxRatio the largest share of one class (1 disables the check)
 */
public record RandomCrop(int height, int width, double catMaxRatio) implements Transform {

    private static final int TRIES = 10;

    /** Validates the settings. */
    public RandomCrop {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + height + "x" + width);
        }
        if (!(catMaxRatio > 0) || catMaxRatio > 1) {
            throw new IllegalArgumentException("catMaxRatio must be in (0, 1], got " + catMaxRatio);
        }
    }

    @Override
    public LabeledImage apply(LabeledImage in, RandomGenerator rng) {
        int[] yx = window(in.image().height(), in.image().width(), in.mask(), rng);
        return new LabeledImage(in.id(), cropImage(in.image(), yx[0], yx[1]), cropMask(in.mask(), yx[0], yx[1]));
    }

    /**
     * Draws the window's top-left corner {row, column} in an image of the given size.
     *
     * @param ih image rows
     * @param iw image columns
     * @param mask the labels (read only when catMaxRatio is below 1)
     * @param rng the generator
     * @return {y0, x0}
     */
    int[] window(int ih, int iw, LabelMap mask, RandomGenerator rng) {
        int y0 = 0;
        int x0 = 0;
        for (int t = 0; t < TRIES; t++) {
            y0 = ih > height ? rng.nextInt(ih - height + 1) : 0;
            x0 = iw > width ? rng.nextInt(iw - width + 1) : 0;
            if (catMaxRatio >= 1 || balanced(mask, y0, x0)) {
                break;
            }
        }
        return new int[] {y0, x0};
    }

    private boolean balanced(LabelMap m, int y0, int x0) {
        int[] counts = new int[256];
        int ch = Math.min(height, m.height() - y0);
        int cw = Math.min(width, m.width() - x0);
        byte[] l = m.labels();
        for (int y = 0; y < ch; y++) {
            int o = (y0 + y) * m.width() + x0;
            for (int x = 0; x < cw; x++) {
                counts[l[o + x] & 0xFF]++;
            }
        }
        int total = 0;
        int max = 0;
        int kinds = 0;
        for (int c = 0; c < ClassInfo.IGNORE; c++) {
            if (counts[c] > 0) {
                kinds++;
                total += counts[c];
                max = Math.max(max, counts[c]);
            }
        }
        return kinds > 1 && max < catMaxRatio * total;
    }

    RgbImage cropImage(RgbImage src, int y0, int x0) {
        int sh = src.height();
        int sw = src.width();
        int ch = Math.min(height, sh - y0);
        int cw = Math.min(width, sw - x0);
        float[] d = new float[3 * height * width]; // zero padding
        float[] s = src.data();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ch; y++) {
                System.arraycopy(s, (c * sh + y0 + y) * sw + x0, d, (c * height + y) * width, cw);
            }
        }
        return new RgbImage(height, width, d);
    }

    LabelMap cropMask(LabelMap src, int y0, int x0) {
        int ch = Math.min(height, src.height() - y0);
        int cw = Math.min(width, src.width() - x0);
        LabelMap out = LabelMap.filled(height, width, ClassInfo.IGNORE);
        for (int y = 0; y < ch; y++) {
            System.arraycopy(src.labels(), (y0 + y) * src.width() + x0, out.labels(), y * width, cw);
        }
        return out;
    }
}
