package org.eseg.data.transform;

import java.util.random.RandomGenerator;
import org.eseg.data.LabeledImage;

/**
 * Rescales image and mask by one factor drawn uniformly from [min, max] (mmsegmentation's {@code ratio_range}).
 *
 * @param min the smallest factor
 * @param max the largest factor
 */
public record RandomScale(double min, double max) implements Transform {

    /** Validates the range. */
    public RandomScale {
        if (!(min > 0) || max < min) {
            throw new IllegalArgumentException("scale range must satisfy 0 < min <= max, got [" + min + ", " + max + "]");
        }
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
        return new int[] {Math.max(1, (int) Math.round(height * s)), Math.max(1, (int) Math.round(width * s))};
    }
}
