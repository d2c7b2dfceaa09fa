package org.eseg.model.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.model.layers.Convs;

/**
 * ESeg's richer feature space: takes the encoder's taps P1..P5, keeps levels min..max and adds P6..P9,
 * each a 3×3 stride-2 average pool (padding 1) of the level below, with P5's channels. No parameters.
 *
 * <p>Padding is excluded from the average: at P8/P9 most windows touch the border, and counting zeros
 * would shrink the features there.
 *
 * <p>Shape: [P1..Pk] → [P_min .. P_max], P_i of spatial size ceil(H / 2^i).
 */
public final class ExtraLevels extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final Shape KERNEL = new Shape(3, 3);
    private static final Shape STRIDE = new Shape(2, 2);
    private static final Shape PAD = new Shape(1, 1);

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


    /**
     * The level of the encoder's first tap.
     *
     * @return e.g. 1 for EfficientNet
     */
    public int firstTapLevel() {
        return firstTapLevel;
    }

    /**
     * The lowest level returned.
     *
     * @return min level
     */
    public int minLevel() {
        return minLevel;
    }

    /**
     * The highest level returned.
     *
     * @return max level
     */
    public int maxLevel() {
        return maxLevel;
    }

    /**
     * Pools a map once: the step from P_i to P_(i+1).
     *
     * @param x (N, C, H, W)
     * @return (N, C, ceil(H/2), ceil(W/2))
     */
    public static NDArray pool(NDArray x) {
        // DJL 0.36's PyTorch engine ignores avgPool2d's countIncludePad flag and always divides by 9, so
        // divide the padded average by the padded average of ones: sum / (number of real pixels).
        Shape s = x.getShape();
        try (NDArray ones = x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType(), x.getDevice());
                NDArray valid = Pool.avgPool2d(ones, KERNEL, STRIDE, PAD, false, true);
                NDArray padded = Pool.avgPool2d(x, KERNEL, STRIDE, PAD, false, true)) {
            return padded.div(valid);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList(maxLevel - minLevel + 1);
        NDArray current = null;
        for (int level = firstTapLevel; level <= maxLevel; level++) {
            int tap = level - firstTapLevel;
            current = tap < inputs.size() ? inputs.get(tap) : pool(current);
            if (level >= minLevel) {
                out.add(current);
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
                            Convs.outSize(current.get(2), 2), Convs.outSize(current.get(3), 2));
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
