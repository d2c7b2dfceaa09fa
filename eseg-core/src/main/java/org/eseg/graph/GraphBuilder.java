package org.eseg.graph;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;

/** Appends steps to an {@link InferenceGraph}, assigning value ids and tracking each value's level. */
public final class GraphBuilder {

    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> levels = new ArrayList<>(List.of(0));

    /** Starts a graph whose value 0 is the input image at level 0. */
    public GraphBuilder() {}

    private int next(int level) {
        levels.add(level);
        return levels.size() - 1;
    }

    /**
     * The level of a value.
     *
     * @param id value id
     * @return its level
     */
    public int level(int id) {
        return levels.get(id);
    }

    /**
     * Appends a convolution.
     *
     * @param x input id
     * @param w weights; stride 1 or 2
     * @return output id
     */
    public int conv(int x, ConvWeights w) {
        if (w.stride() != 1 && w.stride() != 2) {
            throw new IllegalArgumentException("only strides 1 and 2 keep levels, got " + w.stride());
        }
        int out = next(level(x) + (w.stride() == 2 ? 1 : 0));
        ops.add(new Op.Conv(x, w, out));
        return out;
    }

    /**
     * Appends a trained convolution as it is (no BatchNorm after it).
     *
     * @param x input id
     * @param conv an initialised convolution
     * @return output id
     */
    public int conv(int x, Conv2d conv) {
        return conv(x, BatchNormFolding.plain(conv));
    }

    /**
     * Appends a trained convolution with the BatchNorm after it folded in.
     *
     * @param x input id
     * @param conv an initialised convolution
     * @param bn the BatchNorm applied to its output
     * @param eps that BatchNorm's epsilon
     * @return output id
     */
    public int conv(int x, Conv2d conv, BatchNorm bn, double eps) {
        return conv(x, BatchNormFolding.fold(conv, bn, eps));
    }

    /**
     * Appends a trained 1×1 convolution applied to every {@code stride}-th pixel (which is what a strided 1×1
     * convolution computes), with the BatchNorm after it folded in.
     *
     * @param x input id
     * @param conv an initialised 1×1 convolution without padding, itself of stride 1
     * @param bn the BatchNorm applied to its output
     * @param eps that BatchNorm's epsilon
     * @param stride 1 or 2
     * @return output id
     */
    public int pointwiseEvery(int x, Conv2d conv, BatchNorm bn, double eps, int stride) {
        ConvWeights w = BatchNormFolding.fold(conv, bn, eps);
        if (w.kernel() != 1 || w.padding() != 0 || w.stride() != 1) {
            throw new IllegalArgumentException("expected an unpadded 1x1 convolution of stride 1");
        }
        return conv(x, new ConvWeights(w.weight(), w.bias(), w.outChannels(), w.inChannels(), 1, stride, 0,
                w.groups(), 1));
    }

    /**
     * Appends a block's inference steps.
     *
     * @param block a {@link CompilableBlock}
     * @param inputs ids of its input maps
     * @return ids of its output maps
     * @throws IllegalArgumentException if the block cannot describe its inference
     */
    public int[] compile(Block block, int... inputs) {
        if (block instanceof CompilableBlock c) {
            return c.compile(this, inputs);
        }
        throw new IllegalArgumentException("cannot compile block " + block.getClass().getSimpleName());
    }

    /**
     * Appends the steps of a block with one input and one output.
     *
     * @param block a {@link CompilableBlock}
     * @param x input id
     * @return output id
     */
    public int compileOne(Block block, int x) {
        int[] out = compile(block, x);
        if (out.length != 1) {
            throw new IllegalArgumentException(block.getClass().getSimpleName() + " returns " + out.length
                    + " maps, expected one");
        }
        return out[0];
    }

    /**
     * Appends an activation.
     *
     * @param x input id
     * @param kind the function
     * @return output id
     */
    public int act(int x, ActKind kind) {
        int out = next(level(x));
        ops.add(new Op.Activation(x, kind, out));
        return out;
    }

    /**
     * Appends a sum of two maps of the same level.
     *
     * @param a first id
     * @param b second id
     * @return output id
     */
    public int add(int a, int b) {
        checkSameLevel(a, b);
        int out = next(level(a));
        ops.add(new Op.Add(a, b, out));
        return out;
    }

    /**
     * Appends a per-channel product.
     *
     * @param x map id
     * @param gate (N, C, 1, 1) id
     * @return output id
     */
    public int mul(int x, int gate) {
        int out = next(level(x));
        ops.add(new Op.Mul(x, gate, out));
        return out;
    }

    /**
     * Appends a weighted sum with constant weights.
     *
     * @param maps ids of one level
     * @param weights one per map
     * @return output id
     */
    public int weightedSum(int[] maps, float[] weights) {
        for (int m : maps) {
            checkSameLevel(maps[0], m);
        }
        int out = next(level(maps[0]));
        ops.add(new Op.WeightedSum(maps.clone(), weights.clone(), out));
        return out;
    }

    /**
     * Appends a pooling one level down, with {@link Op.Pool}'s geometry.
     *
     * @param x input id
     * @param max max (true) or average (false)
     * @return output id, one level up
     */
    public int pool(int x, boolean max) {
        int out = next(level(x) + 1);
        ops.add(new Op.Pool(x, max, out));
        return out;
    }

    /**
     * Appends a concatenation along the channel axis of maps of one level.
     *
     * @param maps ids, in channel order
     * @return output id
     */
    public int concat(int... maps) {
        for (int m : maps) {
            checkSameLevel(maps[0], m);
        }
        int out = next(level(maps[0]));
        ops.add(new Op.Concat(maps, out));
        return out;
    }

    /**
     * Appends a global average pooling; the result broadcasts over any level.
     *
     * @param x input id
     * @return output id
     */
    public int globalAvgPool(int x) {
        int out = next(level(x));
        ops.add(new Op.GlobalAvgPool(x, out));
        return out;
    }

    /**
     * Resizes a map to the size of another; nothing is appended when both are at the same level, since
     * their sizes then agree for every input size.
     *
     * @param x input id
     * @param like id of a map of the target size
     * @param bilinear bilinear (true) or nearest (false)
     * @return output id, or x itself
     */
    public int resizeLike(int x, int like, boolean bilinear) {
        if (level(x) == level(like)) {
            return x;
        }
        int out = next(level(like));
        ops.add(new Op.Resize(x, like, bilinear, out));
        return out;
    }

    /**
     * Spreads a globally pooled (N, C, 1, 1) map over the size of another map (a bilinear resize, which from
     * one pixel is a copy); unlike {@link #resizeLike} it is always appended, since a pooled map carries the
     * level of the map it was pooled from.
     *
     * @param pooled id of a {@link #globalAvgPool} result
     * @param like id of a map of the target size
     * @return output id
     */
    public int spreadLike(int pooled, int like) {
        int out = next(level(like));
        ops.add(new Op.Resize(pooled, like, true, out));
        return out;
    }

    /**
     * Finishes the graph.
     *
     * @param name model name
     * @param numClasses logits channels
     * @param output id of the logits (at level 0)
     * @return the graph
     */
    public InferenceGraph build(String name, int numClasses, int output) {
        if (level(output) != 0) {
            throw new IllegalArgumentException("logits must be at the input size (level 0), got level "
                    + level(output));
        }
        int[] lv = levels.stream().mapToInt(Integer::intValue).toArray();
        return new InferenceGraph(name, numClasses, ops, lv, output);
    }

    private void checkSameLevel(int a, int b) {
        if (level(a) != level(b)) {
            throw new IllegalArgumentException(
                    "values " + a + " and " + b + " are at levels " + level(a) + " and " + level(b));
        }
    }
}
