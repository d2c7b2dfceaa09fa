package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;

/**
 * A chain of blocks with explicit child names. DJL's SequentialBlock numbers its children, so adding one
 * would rename every parameter after it; checkpoints and weight import need names that do not shift.
 */
public class NamedSequential extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    /** Creates an empty chain. */
    public NamedSequential() {
        super(VERSION);
    }

    /**
     * Appends a child.
     *
     * @param name its name, unique in this chain
     * @param block the child
     * @return this
     */
    public NamedSequential add(String name, Block block) {
        addChildBlock(name, block);
        return this;
    }

    /**
     * The number of children.
     *
     * @return the chain's length
     */
    public int size() {
        return children.size();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (Block b : children.values()) {
            NDList y = b.forward(ps, x, training, params);
            if (x != inputs) {
                releaseConsumed(x, y, inputs);
            }
            x = y;
        }
        return x;
    }

    /** Releases the maps of an inner link of the chain that the next link neither returned nor was given. */
    private static void releaseConsumed(NDList consumed, NDList next, NDList chainInputs) {
        for (NDArray a : consumed) {
            if (!containsSame(next, a) && !containsSame(chainInputs, a)) {
                a.close();
            }
        }
    }

    private static boolean containsSame(NDList list, NDArray a) {
        for (NDArray b : list) {
            if (b == a) {
                return true;
            }
        }
        return false;
    }

    /** Compiles the children in order, each fed the previous one's outputs; every child must be compilable. */
    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int[] x = inputs;
        for (Block b : children.values()) {
            x = g.compile(b, x);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : children.values()) {
            s = b.getOutputShapes(s);
        }
        return s;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : children.values()) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
    }
}
