package org.eseg.model.decoder;

import ai.djl.ndarray.NDArray;
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
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.Resize;

/**
 * The top-down pass of an FPN (Lin et al.) over maps already at width W:
 * {@code td_max = in_max}, {@code td_i = in_i + up(td_(i+1))}, then a 3×3 convolution, BN and activation
 * per level.
 *
 * <p>Shape: L maps of W channels → L maps of W channels. Children: {@code out_P<i>}.
 */
public final class TopDownFpn extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final List<ConvBnAct> outputs = new ArrayList<>();

    /**
     * Creates the pass.
     *
     * @param minLevel the lowest level
     * @param levels the number of levels L
     * @param width channels W
     * @param act activation after each output convolution
     * @param bn BatchNorm settings
     */
    public TopDownFpn(int minLevel, int levels, int width, Act act, BatchNormSpec bn) {
        super(VERSION);
        for (int i = 0; i < levels; i++) {
            outputs.add(addChildBlock("out_P" + (minLevel + i), ConvBnAct.builder()
                    .setOutChannels(width).optKernel(3).optAct(act).optBatchNorm(bn).build()));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        int levels = outputs.size();
        NDArray[] out = new NDArray[levels];
        NDArray td = in.get(levels - 1);
        for (int i = levels - 1; i >= 0; i--) {
            if (i < levels - 1) {
                td = in.get(i).add(Resize.nearestLike(td, in.get(i)));
            }
            out[i] = outputs.get(i).forward(ps, new NDList(td), training, params).head();
        }
        return new NDList(out);
    }

    @Override
    public int[] compile(GraphBuilder g, int... in) {
        int levels = outputs.size();
        int[] out = new int[levels];
        int td = in[levels - 1];
        for (int i = levels - 1; i >= 0; i--) {
            if (i < levels - 1) {
                td = g.add(in[i], g.resizeLike(td, in[i], false));
            }
            out[i] = g.compileOne(outputs.get(i), td);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes.clone();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < outputs.size(); i++) {
            outputs.get(i).initialize(manager, dataType, inputShapes[i]);
        }
    }
}
