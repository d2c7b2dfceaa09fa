package org.eseg.graph;

/** The element-wise activations an inference graph uses. */
public enum ActKind {
    /** max(x, 0). */
    RELU,
    /** x · sigmoid(x). */
    SILU,
    /** 1 / (1 + e^-x), the squeeze-excitation gate. */
    SIGMOID
}
