package org.eseg.util;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope with autograd off for the calling thread, restoring the previous mode on close. Parameters
 * require gradients, so inference and in-place optimizer updates must run outside autograd; libtorch's
 * grad mode is per thread and its default differs between threads, so never rely on it.
 *
 * <pre>{@code
 * try (NoGrad g = NoGrad.enter()) {
 *     ... inference or parameter updates ...
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    /**
     * Turns autograd off until {@link #close()}.
     *
     * @return the scope
     */
    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
