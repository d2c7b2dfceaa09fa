package org.eseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Cross-entropy with online hard example mining, pixel selection exactly as mmsegmentation's
 * {@code OHEMPixelSampler.sample} with a threshold (docs/design.md section 2):
 *
 * <ol>
 *   <li>Without gradient, compute p = softmax(logits)[true class] of every non-ignored pixel.
 *   <li>Sort those n probabilities ascending; k = min(batchKept, n - 1), where batchKept =
 *       minKept × N (mmseg multiplies its {@code min_kept} by the batch size) or minKept itself when
 *       {@link Builder#optMinKeptPerImage} is false.
 *   <li>threshold = max(sorted[k], thresh).
 *   <li>Keep the non-ignored pixels with p <b>strictly less than</b> threshold (mmseg:
 *       {@code seg_prob[valid_mask] < threshold}). So when sorted[k] is above thresh at most k
 *       pixels are kept, and ties with the threshold are dropped; when k = n - 1 the most confident
 *       pixel is never kept unless it is below thresh.
 * </ol>
 *
 * The loss is the cross-entropy averaged over the kept pixels. mmseg instead multiplies the
 * per-pixel loss by the 0/1 weight and, with its default {@code avg_non_ignore=False}, divides by
 * all N·H·W pixels; {@link Builder#optAverageOverAllPixels} reproduces that. No valid or no kept
 * pixel gives loss 0 with a zero gradient.
 */
public final class OhemCrossEntropyLoss implements SegmentationLoss {

    private final double threshold;
    private final long minKept;
    private final boolean minKeptPerImage;
    private final boolean averageOverAllPixels;

    private OhemCrossEntropyLoss(Builder b) {
        this.threshold = b.threshold;
        this.minKept = b.minKept;
        this.minKeptPerImage = b.minKeptPerImage;
        this.averageOverAllPixels = b.averageOverAllPixels;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(NDArray logits, NDArray labels) {
        NDArray loss;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            PixelLogProbs p = new PixelLogProbs(logits, labels);
            NDArray keep = select(logits, p);
            long denominator = averageOverAllPixels ? labels.size() : PixelLogProbs.countTrue(keep);
            loss = p.negativeMean(keep, denominator);
            NDScope.unregister(loss);
        }
        NDScope.register(loss);
        return loss;
    }

    /**
     * Returns the (N, H, W) boolean mask of the pixels OHEM trains on.
     *
     * @param logits float logits (N, C, H, W)
     * @param labels integer labels (N, H, W)
     * @return the mask, attached to the manager of {@code logits}; the caller closes it
     */
    public NDArray keptPixels(NDArray logits, NDArray labels) {
        NDArray keep;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            keep = select(logits, new PixelLogProbs(logits, labels));
            NDScope.unregister(keep);
        }
        NDScope.register(keep);
        return keep;
    }

    private NDArray select(NDArray logits, PixelLogProbs p) {
        // Probabilities for the selection carry no gradient, as in mmseg's torch.no_grad() block.
        NDArray prob = logits.stopGradient()
                .softmax(1)
                .gather(p.safeLabels.expandDims(1), 1)
                .squeeze(1);
        NDArray validProb = prob.booleanMask(p.valid);
        long n = validProb.size();
        if (n == 0) {
            return p.valid.duplicate();
        }
        long batchKept = minKeptPerImage ? Math.multiplyExact(minKept, logits.getShape().get(0)) : minKept;
        long k = Math.min(batchKept, n - 1);
        float kth = validProb.sort().getFloat(k);
        // mmseg compares float32 probabilities with max(tensor, python float); cast thresh the same way.
        float cut = Math.max(kth, (float) threshold);
        // A NaN probability (diverged logits) is kept, so that the loss turns NaN and the trainer stops,
        // instead of every pixel failing "p < cut" and the loss silently reading 0.
        return p.valid.logicalAnd(prob.gte(cut).logicalNot());
    }

    @Override
    public String toString() {
        return "OhemCrossEntropyLoss[threshold=" + threshold + ", minKept=" + minKept
                + (minKeptPerImage ? " per image" : " per batch")
                + (averageOverAllPixels ? ", mean over all pixels" : ", mean over kept pixels") + "]";
    }

    /** Options of {@link OhemCrossEntropyLoss}; {@link #setMinKept} is required. */
    public static final class Builder {
        private double threshold = 0.7;
        private long minKept = -1;
        private boolean minKeptPerImage = true;
        private boolean averageOverAllPixels;

        private Builder() {}

        /**
         * Sets the minimum number of pixels to keep (mmseg {@code min_kept}). The paper's
         * Cityscapes setting is 100000 at a full-size crop; scale it with the crop area.
         *
         * @param minKept a count, at least 0
         * @return this builder
         */
        public Builder setMinKept(long minKept) {
            this.minKept = minKept;
            return this;
        }

        /**
         * Sets the probability threshold; pixels whose true-class probability is at least this
         * (and above the k-th smallest) are dropped. Default 0.7.
         *
         * @param threshold a probability in (0, 1]
         * @return this builder
         */
        public Builder optThreshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /**
         * Whether minKept counts per image, multiplied by the batch size N as mmseg does (default
         * true), or per batch.
         *
         * @param perImage true for mmseg's behaviour
         * @return this builder
         */
        public Builder optMinKeptPerImage(boolean perImage) {
            this.minKeptPerImage = perImage;
            return this;
        }

        /**
         * Whether to divide the summed loss of the kept pixels by all N·H·W pixels (mmseg's default
         * reduction) instead of by the number of kept pixels (default false).
         *
         * @param allPixels true for mmseg's {@code avg_non_ignore=False} reduction
         * @return this builder
         */
        public Builder optAverageOverAllPixels(boolean allPixels) {
            this.averageOverAllPixels = allPixels;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if minKept was not set or an option is out of range
         */
        public OhemCrossEntropyLoss build() {
            if (minKept < 0) {
                throw new IllegalArgumentException("minKept must be set to a count >= 0 (setMinKept)");
            }
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
            }
            return new OhemCrossEntropyLoss(this);
        }
    }
}
