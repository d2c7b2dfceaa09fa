package org.eseg.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.SeparableConv;
import org.eseg.util.Tensors;

/**
 * One BiFPN node: fast normalized fusion {@code Σ relu(w_j)·x_j / (Σ relu(w_j) + 1e-4)} of k maps of
 * equal shape (w initialised to 1), then activation, separable 3×3 convolution and BatchNorm.
 *
 * <p>Shape: k × (N, W, H, W') → (N, W, H, W'). Parameter {@code weights} (k); children {@code conv},
 * {@code bn}.
 */
public final class BiFpnNode extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;
    private static final float EPS = 1e-4f;

    private final int inputs;
    private final Parameter weights;
    private final Act act;
    private final SeparableConv conv;
    private final BatchNorm bn;
    private final double bnEps;

    /**
     * Creates the node.
     *
     * @param inputs number of maps it fuses (2 or 3)
     * @param width channels W
     * @param act activation before the convolution
     * @param bnSpec BatchNorm settings
     */
    public BiFpnNode(int inputs, int width, Act act, BatchNormSpec bnSpec) {
        super(VERSION);
        this.inputs = inputs;
        this.act = act;
        weights = addParameter(Parameter.builder()
                .setName("weights")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(inputs))
                .optInitializer(Initializer.ONES)
                .build());
        conv = addChildBlock("conv", new SeparableConv(width, width, 3));
        bn = addChildBlock("bn", bnSpec.build());
        bnEps = bnSpec.eps();
    }

    /**
     * The trained fusion weights, normalised as {@link #fuse} normalises them: relu(w) / (Σ relu(w) + eps).
     * Computed once at compile time instead of per image.
     *
     * @return one constant per input
     */
    float[] fusionWeights() {
        float[] w = weights.getArray().toFloatArray();
        double sum = 0;
        for (float v : w) {
            sum += Math.max(v, 0);
        }
        float[] norm = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            norm[j] = (float) (Math.max(w[j], 0) / (sum + EPS));
        }
        return norm;
    }

    @Override
    public int[] compile(GraphBuilder g, int... maps) {
        return new int[] {compile(g, maps, fusionWeights())};
    }

    /**
     * Appends the node with given constant fusion weights, for callers that fold part of a weight into an
     * input (see {@link BiFpnLayer}).
     *
     * @param g the graph being built
     * @param maps ids of the maps it fuses
     * @param weights one constant per map
     * @return output id
     */
    int compile(GraphBuilder g, int[] maps, float[] weights) {
        int x = g.act(g.weightedSum(maps, weights), act.kind());
        return conv.compile(g, x, bn, bnEps);
    }

    /**
     * The fused sum of the inputs, before activation and convolution.
     *
     * @param w the raw fusion weights (k)
     * @param maps the k maps
     * @return the normalized weighted sum
     */
    static NDArray fuse(NDArray w, NDList maps) {
        NDArray pos = Activation.relu(w);
        // An op's result belongs to its first operand's manager: without this, every forward pass would
        // leave these small arrays in the parameters' (long-lived) manager.
        pos.attach(maps.head().getManager());
        NDArray norm = pos.div(pos.sum().add(EPS));
        NDArray sum = maps.get(0).mul(norm.get(0));
        for (int j = 1; j < maps.size(); j++) {
            sum = Tensors.accumulate(sum, maps.get(j).mul(norm.get(j)));
        }
        return sum;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList maps, boolean training, PairList<String, Object> params) {
        if (maps.size() != inputs) {
            throw new IllegalArgumentException("BiFPN node fuses " + inputs + " maps, got " + maps.size());
        }
        NDArray w = ps.getValue(weights, maps.head().getDevice(), training);
        NDArray fused = fuse(w, maps);
        NDArray x = act.apply(fused);
        Tensors.release(fused, x);
        NDArray y = conv.forward(ps, new NDList(x), training, params).singletonOrThrow();
        NDArray out = bn.forward(ps, new NDList(y), training, params).singletonOrThrow();
        Tensors.release(y, out);
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]);
        bn.initialize(manager, dataType, inputShapes[0]);
    }
}
