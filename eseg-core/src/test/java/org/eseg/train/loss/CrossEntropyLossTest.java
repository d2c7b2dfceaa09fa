package org.eseg.train.loss;

import static org.eseg.train.loss.LossTestSupport.idx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrossEntropyLossTest {

    private static final int N = 2;
    private static final int C = 4;
    private static final int H = 3;
    private static final int W = 5;

    private static float[] randomLogits(long seed) {
        Random r = new Random(seed);
        float[] f = new float[N * C * H * W];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (3 * r.nextGaussian());
        }
        return f;
    }

    private static long[] randomLabels(long seed, double ignoreFraction) {
        Random r = new Random(seed);
        long[] l = new long[N * H * W];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextDouble() < ignoreFraction ? 255 : r.nextInt(C);
        }
        return l;
    }

    @Test
    void valueAndGradientMatchPlainJava() {
        float[] logits = randomLogits(1);
        long[] labels = randomLabels(2, 0.3);
        double[][][][] p = LossTestSupport.softmax(logits, N, C, H, W);
        double sum = 0;
        int valid = 0;
        for (int i = 0; i < N; i++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    long l = labels[(i * H + y) * W + x];
                    if (l != 255) {
                        sum -= Math.log(p[i][(int) l][y][x]);
                        valid++;
                    }
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = m.create(logits, new Shape(N, C, H, W));
            NDArray lb = m.create(labels, new Shape(N, H, W));
            Object[] r = LossTestSupport.lossAndGradient(new CrossEntropyLoss(), lg, lb);
            assertEquals(sum / valid, (float) r[0], 1e-5);
            float[] grad = (float[]) r[1];
            // d/dz of mean CE = (softmax - onehot) / #valid on valid pixels; exactly 0 on ignored ones.
            for (int i = 0; i < N; i++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        long l = labels[(i * H + y) * W + x];
                        for (int k = 0; k < C; k++) {
                            float g = grad[idx(i, k, y, x, C, H, W)];
                            if (l == 255) {
                                assertEquals(0f, g, 0f, "ignored pixel must get exactly zero gradient");
                            } else {
                                double expected = (p[i][k][y][x] - (k == l ? 1 : 0)) / valid;
                                assertEquals(expected, g, 1e-6);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void allIgnoredBatchGivesZeroLossAndZeroGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = m.create(randomLogits(3), new Shape(N, C, H, W));
            NDArray lb = m.full(new Shape(N, H, W), 255, DataType.INT64);
            Object[] r = LossTestSupport.lossAndGradient(new CrossEntropyLoss(), lg, lb);
            assertEquals(0f, (float) r[0], 0f);
            for (float g : (float[]) r[1]) {
                assertEquals(0f, g, 0f);
            }
        }
    }

    @Test
    void infiniteLogitsAtIgnoredPixelsDoNotPoisonTheLoss() {
        float[] logits = randomLogits(4);
        long[] labels = randomLabels(5, 0);
        labels[0] = 255;
        logits[idx(0, 0, 0, 0, C, H, W)] = Float.NEGATIVE_INFINITY;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = m.create(logits, new Shape(N, C, H, W));
            NDArray lb = m.create(labels, new Shape(N, H, W));
            Object[] r = LossTestSupport.lossAndGradient(new CrossEntropyLoss(), lg, lb);
            assertFalse(Float.isNaN((float) r[0]));
            for (float g : (float[]) r[1]) {
                assertFalse(Float.isNaN(g));
            }
        }
    }

    @Test
    void acceptsOtherIntegerLabelTypesAndLeavesNoTemporaries() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = m.create(randomLogits(6), new Shape(N, C, H, W));
            NDArray lb = m.create(randomLabels(7, 0.2), new Shape(N, H, W));
            CrossEntropyLoss loss = new CrossEntropyLoss();
            float a = loss.compute(lg, lb).getFloat();
            float b = loss.compute(lg, lb.toType(DataType.INT32, false)).getFloat();
            float c = loss.compute(lg, lb.toType(DataType.UINT8, false)).getFloat();
            assertEquals(a, b, 0f);
            assertEquals(a, c, 0f);
            int before = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
            NDArray l = loss.compute(lg, lb);
            int after = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
            assertEquals(before + 1, after, "only the loss itself may remain");
            l.close();
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = m.zeros(new Shape(N, C, H, W));
            CrossEntropyLoss loss = new CrossEntropyLoss();
            assertThrows(IllegalArgumentException.class, () -> loss.compute(lg, m.zeros(new Shape(N, H, W + 1), DataType.INT64)));
            assertThrows(IllegalArgumentException.class, () -> loss.compute(lg, m.zeros(new Shape(N, C, H, W), DataType.INT64)));
            assertThrows(IllegalArgumentException.class, () -> loss.compute(m.zeros(new Shape(C, H, W)), m.zeros(new Shape(H, W), DataType.INT64)));
            assertThrows(IllegalArgumentException.class, () -> loss.compute(lg, m.zeros(new Shape(N, H, W))));
        }
    }
}
