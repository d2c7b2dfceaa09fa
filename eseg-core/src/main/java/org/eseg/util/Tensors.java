package org.eseg.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** In-place tensor updates, and the release of maps a block has consumed. */
public final class Tensors {

    private Tensors() {}

    private static final NDIndex ALL = new NDIndex("...");

    /**
     * Overwrites a tensor with another's values, converted to its type: {@code target[...] = value}. Used instead
     * of DJL's {@code copyTo}, which copies through a host buffer under a libtorch guard (AutoNonVariableTypeMode)
     * that prints a deprecation warning in every process; this is one in-place copy on the tensor's device, without
     * autograd (parameters are leaves that require gradients).
     *
     * @param target the tensor to overwrite (shape kept)
     * @param value values of the same shape on the same device
     */
    public static void assign(NDArray target, NDArray value) {
        try (NoGrad g = NoGrad.enter()) {
            target.set(ALL, value.getDataType() == target.getDataType() ? value
                    : value.toType(target.getDataType(), false));
        }
    }

    /**
     * Closes an intermediate map that a block has consumed, unless it is the block's result. libtorch frees the
     * memory at once unless autograd saved the map for the backward pass (then autograd frees it there), as
     * PyTorch frees a map nothing refers to; without this, the manager of the step or image would hold every
     * intermediate map until it closes (docs/performance.md, "2026-12-03: training memory (released maps)").
     *
     * @param consumed a map created inside the block and read for the last time
     * @param result the block's result, which may be the same array
     */
    public static void release(NDArray consumed, NDArray result) {
        if (consumed != result) {
            consumed.close();
        }
    }

    /**
     * One step of a running sum of maps: {@code sum + term}, with both operands released ({@link #release}).
     *
     * @param sum the sum so far, created by the caller
     * @param term the next term, created by the caller
     * @return the new sum
     */
    public static NDArray accumulate(NDArray sum, NDArray term) {
        NDArray next = sum.add(term);
        release(term, next);
        release(sum, next);
        return next;
    }
}
