package org.eseg.data.transform;

import java.util.random.RandomGenerator;
import org.eseg.data.LabeledImage;

/**
 * Rescales image and mask by one factor drawn uniformly from [min, max] (mmsegmentation's {@code ratio_range}),
 * optionally relative to a base size: with {@code longSide > 0} the factor applies to the image resized so that
 * its longer side is {@code longSide} pixels (the paper's Mapillary Vistas pre-training: 2048), which makes
 * datasets of mixed image sizes comparable.
 *
 * @param min the smallest factor
 * @param max the largest factor
 * @param longSide the longer side of the base size, or 0 to scale the image as it is
 */
public record RandomScale(double min, double max, int longSide) implements Transform {

    /** Validates the range. */
    public RandomScale {
        if (!(min > 0) || max < min) {
            throw new IllegalArgumentException("scale range must satisfy 0 < min <= max, got [" + min + ", " + max + "]");
        }
        if (longSide < 0) {
            throw new IllegalArgumentException("long side must be >= 0 (0: off), got " + longSide);
        }
    }

    /**
     * Scales the image as it is.
     *
     * @param min the smallest factor
     * @param max the largest factor
     */
    public RandomScale(double min, double max) {
        this(min, max, 0);
    }

    @Override
    public LabeledImage apply(LabeledImage in, RandomGenerator rng) {
        int[] hw = scaledSize(in.image().height(), in.image().width(), rng);
        return new LabeledImage(in.id(), Resize.bilinear(in.image(), hw[0], hw[1]),
                Resize.nearest(in.mask(), hw[0], hw[1]));
    }

    /** Draws the factor and returns the scaled {rows, columns}. */
    int[] scaledSize(int height, int width, RandomGenerator rng) {
        double s = min == max ? min : min + (max - min) * rng.nextDouble();
        if (longSide > 0) {
            s *= (double) longSide / Math.max(height, width);
        }
        return new int[] {Math.max(1, (int) Math.round(height * s)), Math.max(1, (int) Math.round(width * s))};
    }
}
