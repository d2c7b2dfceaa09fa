package org.eseg.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.layers.Resize;
import org.eseg.util.Tensors;

/**
 * ESeg's prediction-side fusion: every decoder output is upsampled bilinearly to the base (lowest) level
 * and the maps are summed with {@code softmax(w)} weights, one scalar per level (initialised to 1).
 *
 * <p>Shape: L maps (N, W, h_i, w_i) → (N, W, h_min, w_min). Parameter {@code weights} (L).
 */
public final class LevelFusion extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final int levels;
    private final Parameter weights;

    /**
     * Creates the block.
     *
     * @param levels the number of levels L
     */
    public LevelFusion(int levels) {
        super(VERSION);
        this.levels = levels;
        weights = addParameter(Parameter.builder()
                .setName("weights")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(levels))
                .optInitializer(Initializer.ONES)
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList maps, boolean training, PairList<String, Object> params) {
        NDArray base = maps.head();
        long h = base.getShape().get(2);
        long w = base.getShape().get(3);
        NDArray soft = ps.getValue(weights, base.getDevice(), training).softmax(0);
        // owned by the batch's manager, not the parameters' (else every forward pass leaks it)
        soft.attach(base.getManager());
        NDArray sum = base.mul(soft.get(0));
        for (int i = 1; i < levels; i++) {
            sum = Tensors.accumulate(sum, Resize.bilinear(maps.get(i), h, w).mul(soft.get(i)));
        }
        return new NDList(sum);
    }

    /** The same sum with softmax(w), a constant after training, computed once here. */
    @Override
    public int[] compile(GraphBuilder g, int... maps) {
        float[] w = weights.getArray().toFloatArray();
        double max = Double.NEGATIVE_INFINITY;
        for (float v : w) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (float v : w) {
            z += Math.exp(v - max);
        }
        float[] terms = new float[levels];
        int[] resized = new int[levels];
        for (int i = 0; i < levels; i++) {
            float soft = (float) (Math.exp(w[i] - max) / z);
            if (i == 0) {
                terms[i] = soft;
                resized[i] = maps[0];
            } else {
                // Bilinear resizing is linear: scaling the coarse map first costs a pass over a map
                // 4^i times smaller, and the full-resolution sum then adds it unscaled.
                terms[i] = 1f;
                resized[i] = g.resizeLike(g.weightedSum(new int[] {maps[i]}, new float[] {soft}), maps[0], true);
            }
        }
        return new int[] {g.weightedSum(resized, terms)};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != levels) {
            throw new IllegalArgumentException("expected " + levels + " levels, got " + inputShapes.length);
        }
    }
}
