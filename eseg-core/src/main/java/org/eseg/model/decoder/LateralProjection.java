package org.eseg.model.decoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.ConvBnAct;

/**
 * Maps every input level to the decoder width once, before the first decoder layer: a 1×1 convolution
 * with bias and a BatchNorm per level (EfficientDet's resample layers).
 *
 * <p>Shape: [P_min (N, c_min, ...), ..., P_max] → same maps with W channels. Children: {@code P2}, ...
 */
public final class LateralProjection extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final List<ConvBnAct> perLevel = new ArrayList<>();

    /**
     * Creates the block.
     *
     * @param minLevel level of the first input
     * @param levels number of input levels
     * @param width output channels W
     * @param bn BatchNorm settings
     */
    public LateralProjection(int minLevel, int levels, int width, BatchNormSpec bn) {
        super(VERSION);
        for (int i = 0; i < levels; i++) {
            perLevel.add(addChildBlock("P" + (minLevel + i), ConvBnAct.builder()
                    .setOutChannels(width).optConvBias(true).optBatchNorm(bn).build()));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList(inputs.size());
        for (int i = 0; i < perLevel.size(); i++) {
            out.add(perLevel.get(i).forward(ps, new NDList(inputs.get(i)), training, params).head());
        }
        return out;
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int[] out = new int[perLevel.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.compileOne(perLevel.get(i), inputs[i]);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[perLevel.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = perLevel.get(i).getOutputShapes(new Shape[] {inputShapes[i]})[0];
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != perLevel.size()) {
            throw new IllegalArgumentException(
                    "expected " + perLevel.size() + " levels, got " + inputShapes.length);
        }
        for (int i = 0; i < perLevel.size(); i++) {
            perLevel.get(i).initialize(manager, dataType, inputShapes[i]);
        }
    }
}
