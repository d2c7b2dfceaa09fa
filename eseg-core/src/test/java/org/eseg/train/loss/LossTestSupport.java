package org.eseg.train.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

/** Plain-Java references and an autograd helper shared by the loss tests. */
final class LossTestSupport {

    private LossTestSupport() {}

    /** Softmax over classes of logits[n][c][h][w], in doubles. */
    static double[][][][] softmax(float[] logits, int n, int c, int h, int w) {
        double[][][][] p = new double[n][c][h][w];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < c; k++) {
                        max = Math.max(max, logits[idx(i, k, y, x, c, h, w)]);
                    }
                    double sum = 0;
                    for (int k = 0; k < c; k++) {
                        sum += Math.exp(logits[idx(i, k, y, x, c, h, w)] - max);
                    }
                    for (int k = 0; k < c; k++) {
                        p[i][k][y][x] = Math.exp(logits[idx(i, k, y, x, c, h, w)] - max) / sum;
                    }
                }
            }
        }
        return p;
    }

    static int idx(int i, int k, int y, int x, int c, int h, int w) {
        return ((i * c + k) * h + y) * w + x;
    }

    /** Runs the loss under autograd; returns {loss value, gradient of logits as float[]}. */
    static Object[] lossAndGradient(SegmentationLoss loss, NDArray logits, NDArray labels) {
        logits.setRequiresGradient(true);
        float value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.compute(logits, labels);
            value = l.getFloat();
            gc.backward(l);
        }
        try (NDArray g = logits.getGradient()) {
            return new Object[] {value, g.toFloatArray()};
        }
    }
}
