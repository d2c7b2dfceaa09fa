package org.eseg.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OhemCrossEntropyLossTest {

    // One image, two classes, one row of 7 pixels, all labelled 0 except one ignored pixel. Logits
    // [ln(p/(1-p)), 0] make softmax[0] = p, so the true-class probabilities are these:
    private static final double[] PROBS = {0.95, 0.1, 0.8, 0.6, 0.5, 0.3, 0.9};
    private static final long[] LABELS = {0, 0, 0, 0, 255, 0, 0};

    private static NDArray logits(NDManager m, double[] probs) {
        float[] f = new float[2 * probs.length];
        for (int i = 0; i < probs.length; i++) {
            f[i] = (float) Math.log(probs[i] / (1 - probs[i]));
        }
        return m.create(f, new Shape(1, 2, 1, probs.length));
    }

    /** Expected kept mask and loss, written out by hand for the PROBS row. */
    private static void check(long minKept, boolean[] expectedKept) {
        try (NDManager m = NDManager.newBaseManager()) {
            OhemCrossEntropyLoss loss = OhemCrossEntropyLoss.builder().setMinKept(minKept).build();
            NDArray lg = logits(m, PROBS);
            NDArray lb = m.create(LABELS, new Shape(1, 1, PROBS.length));
            assertArrayEquals(expectedKept, loss.keptPixels(lg, lb).toBooleanArray());
            double sum = 0;
            int kept = 0;
            for (int i = 0; i < PROBS.length; i++) {
                if (expectedKept[i]) {
                    sum -= Math.log(PROBS[i]);
                    kept++;
                }
            }
            Object[] r = LossTestSupport.lossAndGradient(loss, lg, lb);
            assertEquals(sum / kept, (float) r[0], 1e-5);
            float[] grad = (float[]) r[1];
            for (int i = 0; i < PROBS.length; i++) {
                // Gradient of the class-0 logit: (p - 1) / kept on kept pixels, exactly 0 elsewhere.
                double expected = expectedKept[i] ? (PROBS[i] - 1) / kept : 0;
                assertEquals(expected, grad[i], 1e-6);
                if (!expectedKept[i]) {
                    assertEquals(0f, grad[i], 0f);
                    assertEquals(0f, grad[PROBS.length + i], 0f);
                }
            }
        }
    }

    @Test
    void thresholdWinsWhenKthProbabilityIsBelowIt() {
        // Valid sorted: 0.1 0.3 0.6 0.8 0.9 0.95; k = 2 → 0.6; threshold max(0.6, 0.7) = 0.7 → keep p < 0.7.
        check(2, new boolean[] {false, true, false, true, false, true, false});
    }

    @Test
    void kthProbabilityWinsAndComparisonIsStrict() {
        // k = 4 → 0.9 > 0.7; keep p < 0.9, so the pixel at exactly 0.9 is dropped: 4 pixels kept.
        check(4, new boolean[] {false, true, true, true, false, true, false});
    }

    @Test
    void minKeptBeyondValidCountUsesLastIndex() {
        // k = min(100, 6 - 1) = 5 → 0.95: all valid pixels but the most confident one.
        check(100, new boolean[] {false, true, true, true, false, true, true});
    }

    @Test
    void minKeptIsPerImageByDefaultLikeMmseg() {
        // Two copies of the row: 12 valid pixels, each probability twice.
        double[] probs2 = new double[2 * PROBS.length];
        long[] labels2 = new long[2 * PROBS.length];
        try (NDManager m = NDManager.newBaseManager()) {
            float[] f = new float[2 * probs2.length];
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < PROBS.length; i++) {
                    // layout (N=2, C=2, H=1, W=7)
                    f[n * 2 * PROBS.length + i] = (float) Math.log(PROBS[i] / (1 - PROBS[i]));
                    labels2[n * PROBS.length + i] = LABELS[i];
                    probs2[n * PROBS.length + i] = PROBS[i];
                }
            }
            NDArray lg = m.create(f, new Shape(2, 2, 1, PROBS.length));
            NDArray lb = m.create(labels2, new Shape(2, 1, PROBS.length));
            // Sorted: .1 .1 .3 .3 .6 .6 .8 .8 .9 .9 .95 .95. Per image 4 → batch 8 → 0.9: keep p < 0.9.
            boolean[] perImage = OhemCrossEntropyLoss.builder().setMinKept(4).build().keptPixels(lg, lb).toBooleanArray();
            // Per batch 4 → 0.6 → threshold 0.7: keep p < 0.7.
            boolean[] perBatch = OhemCrossEntropyLoss.builder().setMinKept(4).optMinKeptPerImage(false).build()
                    .keptPixels(lg, lb).toBooleanArray();
            for (int i = 0; i < probs2.length; i++) {
                boolean valid = labels2[i] != 255;
                assertEquals(valid && probs2[i] < 0.9 - 1e-9, perImage[i], "per image, pixel " + i);
                assertEquals(valid && probs2[i] < 0.7, perBatch[i], "per batch, pixel " + i);
            }
        }
    }

    @Test
    void matchesIndependentSamplerOnRandomBatch() {
        int n = 2;
        int c = 5;
        int h = 6;
        int w = 7;
        Random r = new Random(11);
        float[] logits = new float[n * c * h * w];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (2 * r.nextGaussian());
        }
        long[] labels = new long[n * h * w];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextDouble() < 0.2 ? 255 : r.nextInt(c);
        }
        double[][][][] p = LossTestSupport.softmax(logits, n, c, h, w);
        List<Double> valid = new ArrayList<>();
        double[] prob = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int img = i / (h * w);
            int y = (i / w) % h;
            int x = i % w;
            if (labels[i] != 255) {
                prob[i] = p[img][(int) labels[i]][y][x];
                valid.add(prob[i]);
            }
        }
        valid.sort(null);
        long minKept = 10; // per image → 20 per batch
        double threshold = Math.max(valid.get((int) Math.min(minKept * n, valid.size() - 1)), 0.7);
        double sum = 0;
        int kept = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 255 && prob[i] < threshold) {
                sum -= Math.log(prob[i]);
                kept++;
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = m.create(logits, new Shape(n, c, h, w));
            NDArray lb = m.create(labels, new Shape(n, h, w));
            OhemCrossEntropyLoss loss = OhemCrossEntropyLoss.builder().setMinKept(minKept).build();
            boolean[] mask = loss.keptPixels(lg, lb).toBooleanArray();
            int count = 0;
            for (boolean b : mask) {
                count += b ? 1 : 0;
            }
            assertEquals(kept, count);
            assertEquals(sum / kept, loss.compute(lg, lb).getFloat(), 1e-5);
            OhemCrossEntropyLoss allPixels =
                    OhemCrossEntropyLoss.builder().setMinKept(minKept).optAverageOverAllPixels(true).build();
            assertEquals(sum / labels.length, allPixels.compute(lg, lb).getFloat(), 1e-5);
        }
    }

    @Test
    void noValidPixelGivesZeroLossAndZeroGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = logits(m, PROBS);
            NDArray lb = m.full(new Shape(1, 1, PROBS.length), 255, ai.djl.ndarray.types.DataType.INT64);
            Object[] r = LossTestSupport.lossAndGradient(
                    OhemCrossEntropyLoss.builder().setMinKept(3).build(), lg, lb);
            assertEquals(0f, (float) r[0], 0f);
            for (float g : (float[]) r[1]) {
                assertEquals(0f, g, 0f);
            }
        }
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> OhemCrossEntropyLoss.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> OhemCrossEntropyLoss.builder().setMinKept(1).optThreshold(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> OhemCrossEntropyLoss.builder().setMinKept(1).optThreshold(1.5).build());
    }
}
