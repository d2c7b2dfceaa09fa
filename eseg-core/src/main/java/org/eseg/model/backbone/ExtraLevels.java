package org.eseg.model.backbone;

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
import org.eseg.model.layers.Pooling;

/**
 * ESeg's richer feature space: takes the encoder's taps P1..P5, keeps levels min..max and adds P6..P9,
 * each a 3×3 stride-2 average pool (padding 1) of the level below, with P5's channels. No parameters.
 *
 * <p>Padding is excluded from the average: at P8/P9 most windows touch the border, and counting zeros
 * would shrink the features there.
 *
 * <p>Shape: [P1..Pk] → [P_min .. P_max], P_i of spatial size ceil(H / 2^i).
 */
public final class ExtraLevels extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final int firstTapLevel;
    private final int minLevel;
    private final int maxLevel;

    /**
     * Creates the block.
     *
     * @param firstTapLevel the level of the encoder's first output (1 for EfficientNet)
     * @param minLevel lowest level to return
     * @param maxLevel highest level to return
     */
    public ExtraLevels(int firstTapLevel, int minLevel, int maxLevel) {
        super(VERSION);
        if (minLevel < firstTapLevel || minLevel > maxLevel) {
            throw new IllegalArgumentException(
                    "levels must satisfy " + firstTapLevel + " <= min <= max, got P" + minLevel
                            + "..P" + maxLevel);
        }
        this.firstTapLevel = firstTapLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList(maxLevel - minLevel + 1);
        NDArray current = null;
        for (int level = firstTapLevel; level <= maxLevel; level++) {
            int tap = level - firstTapLevel;
            current = tap < inputs.size() ? inputs.get(tap) : Pooling.avg(current);
            if (level >= minLevel) {
                out.add(current);
            }
        }
        return out;
    }

    @Override
    public int[] compile(GraphBuilder g, int... taps) {
        int[] out = new int[maxLevel - minLevel + 1];
        int current = -1;
        for (int level = firstTapLevel; level <= maxLevel; level++) {
            int tap = level - firstTapLevel;
            current = tap < taps.length ? taps[tap] : g.pool(current, false);
            if (level >= minLevel) {
                out[level - minLevel] = current;
            }
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[maxLevel - minLevel + 1];
        Shape current = null;
        for (int level = firstTapLevel; level <= maxLevel; level++) {
            int tap = level - firstTapLevel;
            current = tap < inputShapes.length
                    ? inputShapes[tap]
                    : new Shape(current.get(0), current.get(1),
                            Pooling.outSize(current.get(2)), Pooling.outSize(current.get(3)));
            if (level >= minLevel) {
                out[level - minLevel] = current;
            }
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
