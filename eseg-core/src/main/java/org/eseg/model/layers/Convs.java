package org.eseg.model.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** Factories for the square, "same"-padded 2-D convolutions the model uses. */
public final class Convs {

    private Convs() {}

    /**
     * A k×k convolution with padding k/2, so that stride s gives ceil(H/s) × ceil(W/s).
     *
     * @param outChannels output channels
     * @param kernel odd kernel size
     * @param stride stride
     * @param groups groups (outChannels for a depthwise convolution)
     * @param bias whether to add a bias
     * @return the block
     */
    public static Conv2d conv(int outChannels, int kernel, int stride, int groups, boolean bias) {
        return conv(outChannels, kernel, stride, groups, bias, 1);
    }

    /**
     * A k×k convolution whose taps are {@code dilation} pixels apart (atrous), with padding dilation·(k/2)
     * so that stride s still gives ceil(H/s) × ceil(W/s).
     *
     * @param outChannels output channels
     * @param kernel odd kernel size
     * @param stride stride
     * @param groups groups (outChannels for a depthwise convolution)
     * @param bias whether to add a bias
     * @param dilation tap spacing, &gt;= 1
     * @return the block
     */
    public static Conv2d conv(int outChannels, int kernel, int stride, int groups, boolean bias, int dilation) {
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd for same padding, got " + kernel);
        }
        if (dilation < 1) {
            throw new IllegalArgumentException("dilation must be >= 1, got " + dilation);
        }
        int pad = dilation * (kernel / 2);
        return Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups)
                .optBias(bias)
                .build();
    }

    /**
     * A 1×1 convolution.
     *
     * @param outChannels output channels
     * @param bias whether to add a bias
     * @return the block
     */
    public static Conv2d pointwise(int outChannels, boolean bias) {
        return conv(outChannels, 1, 1, 1, bias);
    }

    /**
     * The output size of a same-padded convolution or pooling along one axis.
     *
     * @param size input size
     * @param stride stride
     * @return ceil(size / stride)
     */
    public static long outSize(long size, int stride) {
        return (size + stride - 1) / stride;
    }
}
