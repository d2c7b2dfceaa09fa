package org.eseg.graph;

/**
 * One step of an {@link InferenceGraph}: reads values by id and writes one new value. Values are NCHW
 * float maps; ids are assigned by {@link GraphBuilder} in execution order.
 */
public sealed interface Op {

    /**
     * The ids this step reads.
     *
     * @return input value ids
     */
    int[] inputs();

    /**
     * The id this step writes.
     *
     * @return output value id
     */
    int output();

    /**
     * A convolution, with BatchNorm already folded in.
     *
     * @param input the map
     * @param weights weights and geometry
     * @param output the result
     */
    record Conv(int input, ConvWeights weights, int output) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }
    }

    /**
     * An element-wise activation.
     *
     * @param input the map
     * @param kind the function
     * @param output the result
     */
    record Activation(int input, ActKind kind, int output) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }
    }

    /**
     * An element-wise sum of two maps of the same shape (residual connections, FPN top-down).
     *
     * @param a first map
     * @param b second map
     * @param output the sum
     */
    record Add(int a, int b, int output) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {a, b};
        }
    }

    /**
     * A product that broadcasts {@code gate} (N, C, 1, 1) over {@code x} (N, C, H, W): the SE gating.
     *
     * @param x the map
     * @param gate per-channel factors
     * @param output the product
     */
    record Mul(int x, int gate, int output) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {x, gate};
        }
    }

    /**
     * Σ weights[j] · maps[j] with constant weights: BiFPN's fast normalized fusion and the head's softmax
     * level fusion, both precomputed from the trained parameters.
     *
     * @param maps maps of one shape
     * @param weights one constant per map
     * @param output the sum
     */
    record WeightedSum(int[] maps, float[] weights, int output) implements Op {
        /** Validates the arity. */
        public WeightedSum {
            if (maps.length != weights.length || maps.length == 0) {
                throw new IllegalArgumentException("need one weight per map, got " + maps.length + " maps and "
                        + weights.length + " weights");
            }
        }

        @Override
        public int[] inputs() {
            return maps.clone();
        }
    }

    /**
     * A 3×3 stride-2 pooling with padding 1 (averages exclude the padding): one pyramid level down.
     *
     * @param input the map
     * @param max max pooling if true, average pooling otherwise
     * @param output (N, C, ceil(H/2), ceil(W/2))
     */
    record Pool(int input, boolean max, int output) implements Op {
        /** The window's side. */
        public static final int KERNEL = 3;
        /** The step between windows: one pyramid level. */
        public static final int STRIDE = 2;
        /** Padding on every side, so that the output is ceil(H/2) × ceil(W/2). */
        public static final int PADDING = 1;

        @Override
        public int[] inputs() {
            return new int[] {input};
        }
    }

    /**
     * Maps of one spatial size stacked along the channel axis (DeepLabV3+'s ASPP branches, and its decoder's
     * upsampled context with the low-level feature).
     *
     * @param maps the maps, in channel order
     * @param output (N, ΣC, H, W)
     */
    record Concat(int[] maps, int output) implements Op {
        /** Validates the arity. */
        public Concat {
            if (maps.length < 2) {
                throw new IllegalArgumentException("a concatenation needs at least two maps, got " + maps.length);
            }
            maps = maps.clone();
        }

        @Override
        public int[] inputs() {
            return maps.clone();
        }
    }

    /**
     * Global average pooling to (N, C, 1, 1).
     *
     * @param input the map
     * @param output the pooled map
     */
    record GlobalAvgPool(int input, int output) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {input};
        }
    }

    /**
     * Resizes a map to the spatial size of another: nearest (libtorch's floor rule) or bilinear with
     * {@code align_corners=False}.
     *
     * @param input the map
     * @param like a map whose H and W are the target size (only its shape is read)
     * @param bilinear bilinear if true, nearest otherwise
     * @param output the resized map
     */
    record Resize(int input, int like, boolean bilinear, int output) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {input, like};
        }
    }
}
