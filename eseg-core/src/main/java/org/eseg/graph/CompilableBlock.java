package org.eseg.graph;

/**
 * A network block that can write its own inference steps: what its {@code forward} computes in inference
 * mode, as ops appended to a {@link GraphBuilder}, with BatchNorm folded into the convolution before it and
 * trained fusion weights turned into constants. Value ids play the part of forward's {@code NDList}: one
 * id per map, in the same order.
 */
public interface CompilableBlock {

    /**
     * Appends this block's inference steps.
     *
     * @param g the graph being built
     * @param inputs ids of the maps forward would receive
     * @return ids of the maps forward would return
     */
    int[] compile(GraphBuilder g, int... inputs);
}
