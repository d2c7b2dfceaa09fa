package org.eseg.model.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;

/** An {@link Act} as a block, for chains. Shape: unchanged. No parameters. */
public final class ActivationBlock extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final Act act;

    /**
     * Creates the block.
     *
     * @param act the activation
     */
    public ActivationBlock(Act act) {
        super(VERSION);
        this.act = act;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(act.apply(inputs.singletonOrThrow()));
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        return new int[] {g.act(inputs[0], act.kind())};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
