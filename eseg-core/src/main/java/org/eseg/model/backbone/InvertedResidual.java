package org.eseg.model.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.layers.DropPath;
import org.eseg.model.layers.NamedSequential;
import org.eseg.util.Tensors;

/**
 * The part MBConv and Fused-MBConv share: a chain of named children, and a residual connection with
 * drop-path when the block keeps its input's shape. Subclasses only decide the chain.
 */
public abstract class InvertedResidual extends NamedSequential {

    private final BlockArgs args;

    /**
     * Starts an empty chain.
     *
     * @param args decoded block arguments
     */
    protected InvertedResidual(BlockArgs args) {
        this.args = args;
    }

    /** The chain, plus the residual sum; drop-path is the identity at inference. */
    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int[] x = super.compile(g, inputs);
        return args.hasResidual() ? new int[] {g.add(x[0], inputs[0])} : x;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = super.forwardInternal(ps, inputs, training, params);
        if (!args.hasResidual()) {
            return x;
        }
        NDArray branch = x.singletonOrThrow();
        NDArray dropped = DropPath.apply(branch, args.dropPathRate(), training, params, args.index());
        NDArray out = dropped.add(inputs.singletonOrThrow());
        Tensors.release(dropped, out);
        Tensors.release(branch, out);
        return new NDList(out);
    }
}
