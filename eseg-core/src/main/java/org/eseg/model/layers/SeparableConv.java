package org.eseg.model.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;

/**
 * Depthwise-separable 3×3 convolution as in EfficientDet's BiFPN: a depthwise k×k convolution without
 * bias, then a pointwise 1×1 convolution with bias.
 *
 * <p>Shape: (N, C, H, W) → (N, C_out, H, W). Children: {@code dw}, {@code pw}.
 */
public final class SeparableConv extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final Conv2d depthwise;
    private final Conv2d pointwise;

    /**
     * Creates the block.
     *
     * @param channels input channels (the depthwise convolution keeps them)
     * @param outChannels output channels of the pointwise convolution
     * @param kernel depthwise kernel size
     */
    public SeparableConv(int channels, int outChannels, int kernel) {
        this(channels, outChannels, kernel, 1);
    }

    /**
     * Creates the block with an atrous depthwise step (DeepLabV3+'s "atrous separable convolution").
     *
     * @param channels input channels (the depthwise convolution keeps them)
     * @param outChannels output channels of the pointwise convolution
     * @param kernel depthwise kernel size
     * @param dilation spacing of the depthwise taps
     */
    public SeparableConv(int channels, int outChannels, int kernel, int dilation) {
        super(VERSION);
        if (channels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(
                    "channels must be > 0, got " + channels + " -> " + outChannels);
        }
        depthwise = addChildBlock("dw", Convs.conv(channels, kernel, 1, channels, false, dilation));
        pointwise = addChildBlock("pw", Convs.pointwise(outChannels, true));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return pointwise.forward(ps, depthwise.forward(ps, inputs, training, params), training, params);
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        return new int[] {g.conv(g.conv(inputs[0], depthwise), pointwise)};
    }

    /**
     * Appends this convolution with the BatchNorm that follows it folded into the pointwise step.
     *
     * @param g the graph being built
     * @param x input id
     * @param bn the BatchNorm applied to this block's output
     * @param eps that BatchNorm's epsilon
     * @return output id
     */
    public int compile(GraphBuilder g, int x, BatchNorm bn, double eps) {
        return g.conv(g.conv(x, depthwise), pointwise, bn, eps);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return pointwise.getOutputShapes(depthwise.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        depthwise.initialize(manager, dataType, inputShapes);
        pointwise.initialize(manager, dataType, depthwise.getOutputShapes(inputShapes));
    }
}
