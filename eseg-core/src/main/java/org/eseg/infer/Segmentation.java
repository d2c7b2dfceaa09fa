package org.eseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A per-pixel prediction for one image.
 *
 * @param height rows
 * @param width columns
 * @param labels the class index of each pixel, row-major, unsigned bytes
 * @param confidence the softmax probability of the predicted class of each pixel
 */
public record Segmentation(int height, int width, byte[] labels, float[] confidence) {

    /** Validates the sizes. */
    public Segmentation {
        if (labels.length != height * width || confidence.length != height * width) {
            throw new IllegalArgumentException("expected " + height * width + " labels and confidences for "
                    + height + "x" + width + ", got " + labels.length + " and " + confidence.length);
        }
    }

    /**
     * The most probable class of each pixel of a probability map.
     *
     * @param probabilities (1, C, H, W) or (C, H, W); C at most 255
     * @return labels (the first class on ties) and their probabilities
     */
    public static Segmentation fromProbabilities(NDArray probabilities) {
        Shape s = probabilities.getShape();
        NDArray p = s.dimension() == 4 ? probabilities.squeeze(0) : probabilities;
        if (p.getShape().dimension() != 3) {
            throw new IllegalArgumentException("expected probabilities of shape (1, C, H, W), got " + s);
        }
        // One pass over the copied probabilities: libtorch's argmax and max over the class axis (a strided reduction)
        // took as long as the network itself for a small model on one thread (ESeg-Lite-S at 256x512: 55-136 ms
        // against 60-140 ms; docs/performance.md, "2026-12-02: eseg serve"). Same labels (the first class on ties)
        // and confidences.
        Shape q = p.getShape();
        return fromProbabilities(p.toType(DataType.FLOAT32, false).toFloatArray(), Math.toIntExact(q.get(0)),
                Math.toIntExact(q.get(1)), Math.toIntExact(q.get(2)));
    }

    /**
     * The most probable class of each pixel of a probability map held in Java.
     *
     * @param probabilities (C, H, W) row-major
     * @param classes C, at most 255
     * @param height H
     * @param width W
     * @return labels (the first class on ties) and their probabilities
     */
    public static Segmentation fromProbabilities(float[] probabilities, int classes, int height, int width) {
        int n = height * width;
        if (probabilities.length != classes * n) {
            throw new IllegalArgumentException("expected " + classes * n + " probabilities for " + classes
                    + " classes at " + height + "x" + width + ", got " + probabilities.length);
        }
        byte[] labels = new byte[n];
        // Class by class over contiguous planes rather than pixel by pixel across them: sequential reads, and
        // a strict '>' keeps the first class on ties.
        float[] confidence = Arrays.copyOf(probabilities, n);
        for (int c = 1; c < classes; c++) {
            int offset = c * n;
            byte label = (byte) c;
            for (int i = 0; i < n; i++) {
                float v = probabilities[offset + i];
                if (v > confidence[i]) {
                    confidence[i] = v;
                    labels[i] = label;
                }
            }
        }
        return new Segmentation(height, width, labels, confidence);
    }

    /**
     * The class of one pixel.
     *
     * @param y row
     * @param x column
     * @return the class index
     */
    public int label(int y, int x) {
        return labels[y * width + x] & 0xFF;
    }
}
