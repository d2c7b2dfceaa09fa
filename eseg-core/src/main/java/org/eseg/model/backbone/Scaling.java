package org.eseg.model.backbone;

/**
 * EfficientNet's compound scaling rules, in one place.
 *
 * @param width channel multiplier
 * @param depth block-count multiplier
 */
public record Scaling(double width, double depth) {

    private static final int DIVISOR = 8;

    /** Validates the multipliers. */
    public Scaling {
        if (!(width > 0) || !(depth > 0)) {
            throw new IllegalArgumentException(
                    "width and depth multipliers must be > 0, got " + width + ", " + depth);
        }
    }

    /**
     * Scales a channel count: a multiple of 8, never more than 10% below the exact product.
     *
     * @param channels channels in the B0 table
     * @return scaled channels
     */
    public int roundFilters(int channels) {
        double c = channels * width;
        int rounded = Math.max(DIVISOR, (int) (c + DIVISOR / 2.0) / DIVISOR * DIVISOR);
        if (rounded < 0.9 * c) {
            rounded += DIVISOR;
        }
        return rounded;
    }

    /**
     * Scales a block count.
     *
     * @param repeats blocks in the B0 table
     * @return ceil(depth · repeats)
     */
    public int roundRepeats(int repeats) {
        return (int) Math.ceil(depth * repeats);
    }
}
