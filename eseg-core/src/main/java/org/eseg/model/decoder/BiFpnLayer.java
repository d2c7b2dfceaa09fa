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
import org.eseg.model.layers.Pooling;
import org.eseg.model.layers.Resize;

/**
 * One BiFPN layer (EfficientDet) over levels min..max, all of width W.
 *
 * <p>Top-down, for i = max-1 down to min: {@code td_i = node(in_i, up(td_(i+1)))} with
 * {@code td_max = in_max}. Bottom-up, for i = min+1 to max: {@code out_i = node(in_i, td_i,
 * down(out_(i-1)))}, at max only {@code node(in_max, down(out_(max-1)))}; {@code out_min = td_min}. That is
 * 2·(L-1) nodes for L levels. {@code up} is nearest resizing to the target size, {@code down} max pooling
 * one level down ({@link Pooling#max}).
 *
 * <p>Shape: L maps → L maps of the same shapes. Children: {@code td_P<i>}, {@code out_P<i>}.
 */
public final class BiFpnLayer extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final int levels;
    /** td.get(i) fuses level min+i on the top-down path; null at the top. */
    private final List<BiFpnNode> topDown = new ArrayList<>();
    /** bottomUp.get(i) fuses level min+i on the bottom-up path; null at the bottom. */
    private final List<BiFpnNode> bottomUp = new ArrayList<>();

    /**
     * Creates the layer.
     *
     * @param minLevel the lowest level
     * @param levels the number of levels L
     * @param width channels W
     * @param act node activation
     * @param bn BatchNorm settings
     */
    public BiFpnLayer(int minLevel, int levels, int width, Act act, BatchNormSpec bn) {
        super(VERSION);
        this.levels = levels;
        for (int i = 0; i < levels; i++) {
            topDown.add(i < levels - 1
                    ? addChildBlock("td_P" + (minLevel + i), new BiFpnNode(2, width, act, bn))
                    : null);
        }
        for (int i = 0; i < levels; i++) {
            BiFpnNode node = null;
            if (i > 0) {
                int inputs = i < levels - 1 ? 3 : 2;
                node = addChildBlock("out_P" + (minLevel + i), new BiFpnNode(inputs, width, act, bn));
            }
            bottomUp.add(node);
        }
    }

    private static NDArray down(NDArray x, NDArray like) {
        return Resize.nearestLike(Pooling.max(x), like);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray[] td = new NDArray[levels];
        td[levels - 1] = in.get(levels - 1);
        for (int i = levels - 2; i >= 0; i--) {
            NDList pair = new NDList(in.get(i), Resize.nearestLike(td[i + 1], in.get(i)));
            td[i] = topDown.get(i).forward(ps, pair, training, params).head();
        }
        NDList out = new NDList(levels);
        out.add(td[0]);
        for (int i = 1; i < levels; i++) {
            NDArray fromBelow = down(out.get(i - 1), in.get(i));
            NDList maps = i < levels - 1
                    ? new NDList(in.get(i), td[i], fromBelow)
                    : new NDList(in.get(i), fromBelow);
            out.add(bottomUp.get(i).forward(ps, maps, training, params).head());
        }
        return out;
    }

    @Override
    public int[] compile(GraphBuilder g, int... in) {
        int[] td = new int[levels];
        td[levels - 1] = in[levels - 1];
        for (int i = levels - 2; i >= 0; i--) {
            // Scale the coarser map before upsampling it: the same values (nearest copies them), on a map
            // four times smaller, and the node then adds it unscaled.
            float[] w = topDown.get(i).fusionWeights();
            int up = g.resizeLike(g.weightedSum(new int[] {td[i + 1]}, new float[] {w[1]}), in[i], false);
            td[i] = topDown.get(i).compile(g, new int[] {in[i], up}, new float[] {w[0], 1f});
        }
        int[] out = new int[levels];
        out[0] = td[0];
        for (int i = 1; i < levels; i++) {
            int down = g.resizeLike(g.pool(out[i - 1], true), in[i], false);
            int[] maps = i < levels - 1 ? new int[] {in[i], td[i], down} : new int[] {in[i], down};
            out[i] = bottomUp.get(i).compile(g, maps)[0];
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes.clone();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < levels; i++) {
            if (topDown.get(i) != null) {
                topDown.get(i).initialize(manager, dataType, inputShapes[i], inputShapes[i]);
            }
            if (bottomUp.get(i) != null) {
                Shape[] same = new Shape[i < levels - 1 ? 3 : 2];
                java.util.Arrays.fill(same, inputShapes[i]);
                bottomUp.get(i).initialize(manager, dataType, same);
            }
        }
    }
}
