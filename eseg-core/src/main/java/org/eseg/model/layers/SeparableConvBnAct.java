package org.eseg.model.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;

/**
 * A {@link SeparableConv} (optionally atrous), BatchNorm and activation: the unit of DeepLabV3+'s ASPP
 * branches and decoder convolutions (docs/design.md section 7).
 *
 * <p>Shape: (N, C, H, W) → (N, C_out, H, W). Children: {@code conv}, {@code bn}.
 */
public final class SeparableConvBnAct extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final SeparableConv conv;
    private final BatchNorm bn;
    private final double bnEps;
    private final Act act;

    /**
     * Creates the block.
     *
     * @param channels input channels
     * @param outChannels output channels
     * @param dilation spacing of the 3×3 depthwise taps
     * @param act activation after BN
     * @param bn BatchNorm settings
     */
    public SeparableConvBnAct(int channels, int outChannels, int dilation, Act act, BatchNormSpec bn) {
        super(VERSION);
        conv = addChildBlock("conv", new SeparableConv(channels, outChannels, 3, dilation));
        this.bn = addChildBlock("bn", bn.build());
        bnEps = bn.eps();
        this.act = act;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = bn.forward(ps, conv.forward(ps, inputs, training, params), training, params);
        return new NDList(act.apply(x.singletonOrThrow()));
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        return new int[] {g.act(conv.compile(g, inputs[0], bn, bnEps), act.kind())};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }
}
