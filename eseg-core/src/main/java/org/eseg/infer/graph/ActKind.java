package org.eseg.infer.graph;

import org.eseg.model.layers.Act;

/** The element-wise activations an inference graph uses. */
public enum ActKind {
    /** max(x, 0). */
    RELU,
    /** x · sigmoid(x). */
    SILU,
    /** 1 / (1 + e^-x), the squeeze-excitation gate. */
    SIGMOID;

    /**
     * The graph activation for a model activation.
     *
     * @param act a model activation
     * @return the same function
     */
    public static ActKind of(Act act) {
        return act == Act.RELU ? RELU : SILU;
    }
}
