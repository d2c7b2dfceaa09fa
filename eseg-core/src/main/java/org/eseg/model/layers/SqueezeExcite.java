package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.ActKind;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;

/**
 * Squeeze-and-excitation (Hu et al.): global average pool, 1×1 reduce, activation, 1×1 expand, sigmoid,
 * and a channel-wise product with the input.
 *
 * <p>Shape: (N, C, H, W) → (N, C, H, W). Children: {@code conv_reduce}, {@code conv_expand}.
 */
public final class SqueezeExcite extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final Conv2d reduce;
    private final Conv2d expand;
    private final Act act;

    /**
     * Creates the block.
     *
     * @param channels the channels being gated
     * @param squeezeChannels the bottleneck width
     * @param act activation after the reduction
     */
    public SqueezeExcite(int channels, int squeezeChannels, Act act) {
        super(VERSION);
        if (squeezeChannels <= 0) {
            throw new IllegalArgumentException("squeezeChannels must be > 0, got " + squeezeChannels);
        }
        reduce = addChildBlock("conv_reduce", Convs.pointwise(squeezeChannels, true));
        expand = addChildBlock("conv_expand", Convs.pointwise(channels, true));
        this.act = act;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        NDArray s = x.getNDArrayInternal().globalAvgPool().reshape(shape.get(0), shape.get(1), 1, 1);
        s = act.apply(reduce.forward(ps, new NDList(s), training, params).singletonOrThrow());
        s = expand.forward(ps, new NDList(s), training, params).singletonOrThrow();
        return new NDList(x.mul(Activation.sigmoid(s)));
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int x = inputs[0];
        int s = g.act(g.conv(g.globalAvgPool(x), reduce), act.kind());
        s = g.act(g.conv(s, expand), ActKind.SIGMOID);
        return new int[] {g.mul(x, s)};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape pooled = new Shape(in.get(0), in.get(1), 1, 1);
        reduce.initialize(manager, dataType, pooled);
        expand.initialize(manager, dataType, reduce.getOutputShapes(new Shape[] {pooled}));
    }
}
