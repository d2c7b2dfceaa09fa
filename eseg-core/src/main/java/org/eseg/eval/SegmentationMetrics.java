package org.eseg.eval;

import java.util.Arrays;

/**
 * Metrics computed from a confusion matrix (rows are labels, columns are predictions), as in
 * docs/design.md section 4 and mmsegmentation's {@code IoUMetric}.
 *
 * <p>Undefined values are {@link Double#NaN}: a class's IoU when its union is empty (it is neither
 * labelled nor predicted), a class's accuracy when it has no label pixels, and every mean when no
 * class qualifies. Means skip NaN entries, like numpy's {@code nanmean}. With no valid pixels at
 * all (for example only ignore labels were seen) every value is NaN and {@link #validPixels()} is 0.
 *
 * @param classIou per-class IoU = TP / (TP + FP + FN), NaN when the union is empty
 * @param classAccuracy per-class accuracy (recall) = TP / label pixels, NaN without label pixels
 * @param meanIou mean of the defined per-class IoUs
 * @param pixelAccuracy correct / valid pixels, NaN when there are no valid pixels
 * @param meanClassAccuracy mean of the defined per-class accuracies
 * @param validPixels number of pixels whose label was not ignored
 * @param correctPixels number of valid pixels predicted correctly
 */
public record SegmentationMetrics(
        double[] classIou,
        double[] classAccuracy,
        double meanIou,
        double pixelAccuracy,
        double meanClassAccuracy,
        long validPixels,
        long correctPixels) {

    /**
     * Validates and copies the arrays, so that the record stays immutable.
     *
     * @throws IllegalArgumentException if the per-class arrays differ in length
     */
    public SegmentationMetrics {
        if (classIou.length != classAccuracy.length) {
            throw new IllegalArgumentException(
                    "classIou has " + classIou.length + " entries but classAccuracy has " + classAccuracy.length);
        }
        classIou = classIou.clone();
        classAccuracy = classAccuracy.clone();
    }

    /**
     * Computes the metrics of a confusion matrix.
     *
     * @param matrix square matrix of counts, {@code matrix[label][prediction]}
     * @return the metrics
     * @throws IllegalArgumentException if the matrix is not square or holds a negative count
     */
    public static SegmentationMetrics of(long[][] matrix) {
        int c = matrix.length;
        long[] labelled = new long[c];
        long[] predicted = new long[c];
        long valid = 0;
        long correct = 0;
        for (int i = 0; i < c; i++) {
            if (matrix[i].length != c) {
                throw new IllegalArgumentException(
                        "confusion matrix is not square: row " + i + " has " + matrix[i].length + " entries, expected " + c);
            }
            for (int j = 0; j < c; j++) {
                long n = matrix[i][j];
                if (n < 0) {
                    throw new IllegalArgumentException("negative count " + n + " at (" + i + ", " + j + ")");
                }
                labelled[i] += n;
                predicted[j] += n;
                valid += n;
            }
            correct += matrix[i][i];
        }
        double[] iou = new double[c];
        double[] acc = new double[c];
        for (int k = 0; k < c; k++) {
            long tp = matrix[k][k];
            long union = labelled[k] + predicted[k] - tp;
            iou[k] = union == 0 ? Double.NaN : (double) tp / union;
            acc[k] = labelled[k] == 0 ? Double.NaN : (double) tp / labelled[k];
        }
        double pixelAcc = valid == 0 ? Double.NaN : (double) correct / valid;
        return new SegmentationMetrics(iou, acc, nanMean(iou), pixelAcc, nanMean(acc), valid, correct);
    }

    /** Mean of the non-NaN values, NaN if there are none. */
    static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Returns the number of classes.
     *
     * @return the number of classes
     */
    public int numClasses() {
        return classIou.length;
    }

    /**
     * Returns a copy of the per-class IoU.
     *
     * @return per-class IoU, NaN where the union is empty
     */
    @Override
    public double[] classIou() {
        return classIou.clone();
    }

    /**
     * Returns a copy of the per-class accuracy.
     *
     * @return per-class accuracy, NaN where the class has no label pixels
     */
    @Override
    public double[] classAccuracy() {
        return classAccuracy.clone();
    }

    /**
     * Returns how many classes have a defined IoU (non-empty union) and so enter the mean.
     *
     * @return the number of classes counted in {@link #meanIou()}
     */
    public int presentClasses() {
        return (int) Arrays.stream(classIou).filter(v -> !Double.isNaN(v)).count();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentationMetrics m
                && Arrays.equals(classIou, m.classIou)
                && Arrays.equals(classAccuracy, m.classAccuracy)
                && Double.compare(meanIou, m.meanIou) == 0
                && Double.compare(pixelAccuracy, m.pixelAccuracy) == 0
                && Double.compare(meanClassAccuracy, m.meanClassAccuracy) == 0
                && validPixels == m.validPixels
                && correctPixels == m.correctPixels;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(classIou) + Long.hashCode(validPixels) * 17 + Double.hashCode(meanIou);
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "SegmentationMetrics[mIoU=%.4f, aAcc=%.4f, mAcc=%.4f, classes=%d, validPixels=%d]",
                meanIou, pixelAccuracy, meanClassAccuracy, classIou.length, validPixels);
    }
}
