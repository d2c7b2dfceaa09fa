package org.eseg.model.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.Convs;

/**
 * ResNet's projection shortcut: a strided 1×1 convolution and BN (torchvision's {@code downsample}). It is
 * computed as a 1×1 convolution of every stride-th pixel, the same numbers, because libtorch 2.7.1's oneDNN
 * dies with SIGFPE in the backward pass of a strided 1×1 convolution here (AVX2, one thread).
 *
 * <p>Shape: (N, C_in, H, W) → (N, C_out, ceil(H/s), ceil(W/s)). Children: {@code conv}, {@code bn}.
 */
public final class ProjectionShortcut extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv;
    private final BatchNorm bn;
    private final double bnEps;
    private final int stride;

    /**
     * Creates the block.
     *
     * @param outChannels output channels
     * @param stride 1 or 2
     * @param bn BatchNorm settings
     */
    public ProjectionShortcut(int outChannels, int stride, BatchNormSpec bn) {
        super(VERSION);
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stride must be 1 or 2, got " + stride);
        }
        this.stride = stride;
        conv = addChildBlock("conv", Convs.pointwise(outChannels, false));
        this.bn = addChildBlock("bn", bn.build());
        bnEps = bn.eps();
    }

    private NDArray everyStride(NDArray x) {
        return stride == 1 ? x : x.get(new NDIndex(":, :, ::" + stride + ", ::" + stride));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = new NDList(everyStride(inputs.singletonOrThrow()));
        return bn.forward(ps, conv.forward(ps, x, training, params), training, params);
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        return new int[] {g.pointwiseEvery(inputs[0], conv, bn, bnEps, stride)};
    }

    private Shape subsampled(Shape s) {
        return new Shape(s.get(0), s.get(1), Convs.outSize(s.get(2), stride), Convs.outSize(s.get(3), stride));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(new Shape[] {subsampled(inputShapes[0])});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = subsampled(inputShapes[0]);
        conv.initialize(manager, dataType, in);
        bn.initialize(manager, dataType, conv.getOutputShapes(new Shape[] {in}));
    }
}
