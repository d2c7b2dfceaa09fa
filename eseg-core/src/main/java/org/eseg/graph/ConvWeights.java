package org.eseg.graph;

/**
 * A square, "same"-padded 2-D convolution with its (possibly BatchNorm-folded) weights, as plain arrays so
 * that every runtime can take it. A dilated (atrous) convolution spreads its taps {@code dilation} pixels
 * apart; its same padding is {@code dilation · (k / 2)}.
 *
 * @param weight (out, in / groups, k, k) row-major
 * @param bias (out), or null for none
 * @param outChannels output channels
 * @param inChannels input channels (all groups together)
 * @param kernel kernel size k
 * @param stride stride
 * @param padding padding on every side
 * @param groups groups (inChannels for a depthwise convolution)
 * @param dilation spacing of the kernel taps (1 for a plain convolution)
 */
public record ConvWeights(
        float[] weight, float[] bias, int outChannels, int inChannels, int kernel, int stride, int padding,
        int groups, int dilation) {

    /** Validates the sizes. */
    public ConvWeights {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "groups " + groups + " must divide in " + inChannels + " and out " + outChannels);
        }
        long expected = (long) outChannels * (inChannels / groups) * kernel * kernel;
        if (weight.length != expected) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + expected);
        }
        if (dilation < 1) {
            throw new IllegalArgumentException("dilation must be >= 1, got " + dilation);
        }
        if (bias != null && bias.length != outChannels) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + outChannels);
        }
    }

    /**
     * The weight tensor's shape.
     *
     * @return {out, in / groups, k, k}
     */
    public long[] weightShape() {
        return new long[] {outChannels, inChannels / groups, kernel, kernel};
    }
}
