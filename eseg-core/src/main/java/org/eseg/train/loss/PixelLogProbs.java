package org.eseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The parts both losses share: the log-probability of each pixel's true class and the mask of
 * pixels that are not ignored. Create inside an {@link ai.djl.ndarray.NDScope}; all arrays are
 * temporaries.
 */
final class PixelLogProbs {

    /** (N, H, W) int64 labels with ignored pixels replaced by class 0, so that gather stays in range. */
    final NDArray safeLabels;
    /** (N, H, W) boolean, true where the label is not ignored. */
    final NDArray valid;
    /** (N, H, W) log softmax of the true class; differentiable; meaningless where not valid. */
    final NDArray logProb;

    PixelLogProbs(NDArray logits, NDArray labels) {
        check(logits, labels);
        NDArray lab = labels.toType(DataType.INT64, false);
        valid = lab.neq(SegmentationLoss.IGNORE_LABEL);
        safeLabels = lab.mul(valid.toType(DataType.INT64, false));
        logProb = logits.logSoftmax(1).gather(safeLabels.expandDims(1), 1).squeeze(1);
    }

    /**
     * Returns minus the sum of the log-probabilities of the selected pixels divided by a count, as
     * a scalar. Unselected pixels go through {@code where}, so an infinite log-probability there
     * cannot turn the loss or the gradient into NaN.
     */
    NDArray negativeMean(NDArray selected, long denominator) {
        NDArray picked = NDArrays.where(selected, logProb, logProb.zerosLike());
        return picked.sum().neg().div((float) Math.max(1, denominator));
    }

    static long countTrue(NDArray mask) {
        return mask.sum().getLong();
    }

    private static void check(NDArray logits, NDArray labels) {
        Shape ls = logits.getShape();
        Shape ys = labels.getShape();
        if (ls.dimension() != 4) {
            throw new IllegalArgumentException("logits must be (N, C, H, W), got shape " + ls);
        }
        if (ys.dimension() != 3
                || ys.get(0) != ls.get(0)
                || ys.get(1) != ls.get(2)
                || ys.get(2) != ls.get(3)) {
            throw new IllegalArgumentException(
                    "labels must be (N, H, W) = (" + ls.get(0) + ", " + ls.get(2) + ", " + ls.get(3)
                            + ") to match logits " + ls + ", got " + ys);
        }
        if (!logits.getDataType().isFloating()) {
            throw new IllegalArgumentException("logits must be floating point, got " + logits.getDataType());
        }
        if (!labels.getDataType().isInteger()) {
            throw new IllegalArgumentException("labels must be integers, got " + labels.getDataType());
        }
    }
}
