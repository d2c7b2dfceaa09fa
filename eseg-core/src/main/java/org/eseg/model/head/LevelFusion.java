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
import org.eseg.model.layers.Resize;

/**
 * ESeg's prediction-side fusion: every decoder output is upsampled bilinearly to the base (lowest) level
 * and the maps are summed with {@code softmax(w)} weights, one scalar per level (initialised to 1).
 *
 * <p>Shape: L maps (N, W, h_i, w_i) → (N, W, h_min, w_min). Parameter {@code weights} (L).
 */
public final class LevelFusion extends AbstractBlock {

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

    /**
     * The fusion weights parameter (softmax is applied in the forward pass).
     *
     * @return the parameter
     */
    public Parameter weights() {
        return weights;
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
            sum = sum.add(Resize.bilinear(maps.get(i), h, w).mul(soft.get(i)));
        }
        return new NDList(sum);
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
