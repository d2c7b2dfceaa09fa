package org.eseg.train.loss;

import ai.djl.ndarray.NDArray;

/**
 * A per-pixel segmentation loss: class logits against integer labels, pixels labelled
 * {@link #IGNORE_LABEL} contributing neither loss nor gradient.
 *
 * <p>Implementations create their temporaries in an {@link ai.djl.ndarray.NDScope} and close them
 * before returning; the returned scalar belongs to the manager of {@code logits} (and to the
 * caller's {@code NDScope}, if one is open). Call inside a
 * {@link ai.djl.training.GradientCollector} and pass the result to {@code backward}.
 */
public interface SegmentationLoss {

    /** The label of pixels that do not count. */
    int IGNORE_LABEL = 255;

    /**
     * Computes the loss of a batch.
     *
     * @param logits float logits of shape (N, C, H, W)
     * @param labels integer labels of shape (N, H, W) in [0, C) or {@link #IGNORE_LABEL}; int64
     *     preferred, other integer types are converted
     * @return a scalar loss, differentiable with respect to {@code logits}; 0 (with zero gradient)
     *     when no pixel counts
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    NDArray compute(NDArray logits, NDArray labels);
}
