package org.eseg.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** In-place tensor updates. */
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
}
