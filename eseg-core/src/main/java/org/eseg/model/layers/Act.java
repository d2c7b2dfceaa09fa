package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.eseg.graph.ActKind;

/** The activations ESeg uses: SiLU (swish) for MBConv models, ReLU for the Lite models. */
public enum Act {
    /** max(x, 0). */
    RELU,
    /** x · sigmoid(x), a.k.a. swish (libtorch's fused kernel, {@link Silu}). */
    SILU;

    /**
     * Applies the activation.
     *
     * @param x any tensor
     * @return the activated tensor, same shape
     */
    public NDArray apply(NDArray x) {
        return this == RELU ? Activation.relu(x) : Silu.apply(x);
    }

    /**
     * The same function as an inference-graph activation.
     *
     * @return the graph activation
     */
    public ActKind kind() {
        return this == RELU ? ActKind.RELU : ActKind.SILU;
    }
}
