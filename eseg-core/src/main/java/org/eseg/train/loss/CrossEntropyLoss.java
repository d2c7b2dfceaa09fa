package org.eseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Softmax cross-entropy averaged over the pixels that are not ignored:
 * {@code -Σ log softmax(logits)[label] / #valid}. DJL's {@code SoftmaxCrossEntropyLoss} has no
 * ignore index, hence this class (docs/design.md section 5).
 *
 * <p>The mean is over valid pixels only, like mmsegmentation with {@code avg_non_ignore=True}
 * (its default, False, divides by all pixels including ignored ones). With no valid pixel the loss
 * is 0 and its gradient is exactly zero.
 */
public final class CrossEntropyLoss implements SegmentationLoss {

    /** Creates the loss; it has no settings. */
    public CrossEntropyLoss() {}

    /** {@inheritDoc} */
    @Override
    public NDArray compute(NDArray logits, NDArray labels) {
        NDArray loss;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            PixelLogProbs p = new PixelLogProbs(logits, labels);
            loss = p.negativeMean(p.valid, PixelLogProbs.countTrue(p.valid));
            NDScope.unregister(loss);
        }
        // Hand the result to the caller's scope, if any (unregister removed it from ours only).
        NDScope.register(loss);
        return loss;
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss[ignore=" + IGNORE_LABEL + "]";
    }
}
