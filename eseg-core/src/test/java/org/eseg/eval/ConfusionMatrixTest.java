package org.eseg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixTest {

    private static final double EPS = 1e-12;

    // Labels 0,0,0,1,1,2 (+2 ignored), predictions 0,0,1,1,2,2 → counts (0,0)=2 (0,1)=1 (1,1)=1 (1,2)=1 (2,2)=1.
    private static final int[] LABELS = {0, 0, 0, 1, 1, 2, 255, 255};
    private static final int[] PREDS = {0, 0, 1, 1, 2, 2, 0, 1};

    @Test
    void countsPixelsAndSkipsIgnoreLabel() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.update(LABELS, PREDS);
        assertArrayEquals(new long[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}, cm.toArray());
        assertEquals(6, cm.validPixels());
        assertEquals(1, cm.count(1, 2));
    }

    @Test
    void metricsMatchHandComputation() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.update(LABELS, PREDS);
        SegmentationMetrics m = cm.metrics();
        // IoU: 2/(3+2-2), 1/(2+2-1), 1/(1+2-1).
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3, 0.5}, m.classIou(), EPS);
        assertEquals(0.5, m.meanIou(), EPS);
        assertEquals(4.0 / 6, m.pixelAccuracy(), EPS);
        assertArrayEquals(new double[] {2.0 / 3, 0.5, 1.0}, m.classAccuracy(), EPS);
        assertEquals((2.0 / 3 + 0.5 + 1.0) / 3, m.meanClassAccuracy(), EPS);
        assertEquals(6, m.validPixels());
        assertEquals(4, m.correctPixels());
        assertEquals(3, m.presentClasses());
    }

    @Test
    void classAbsentFromLabelAndPredictionIsNaNAndExcludedFromMeans() {
        ConfusionMatrix cm = new ConfusionMatrix(4);
        cm.update(LABELS, PREDS);
        SegmentationMetrics m = cm.metrics();
        assertTrue(Double.isNaN(m.classIou()[3]));
        assertTrue(Double.isNaN(m.classAccuracy()[3]));
        assertEquals(0.5, m.meanIou(), EPS);
        assertEquals((2.0 / 3 + 0.5 + 1.0) / 3, m.meanClassAccuracy(), EPS);
        assertEquals(3, m.presentClasses());
    }

    @Test
    void classPredictedButNeverLabelledHasIouZeroAndCounts() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.update(new int[] {0, 0}, new int[] {0, 1});
        SegmentationMetrics m = cm.metrics();
        // class 0: TP 1, FN 1 → 1/2; class 1: FP 1 → 0/1; class 2: empty union → NaN.
        assertEquals(0.5, m.classIou()[0], EPS);
        assertEquals(0.0, m.classIou()[1], EPS);
        assertTrue(Double.isNaN(m.classIou()[2]));
        assertEquals(0.25, m.meanIou(), EPS);
        // Accuracy is defined only for class 0, which has label pixels.
        assertTrue(Double.isNaN(m.classAccuracy()[1]));
        assertEquals(0.5, m.meanClassAccuracy(), EPS);
    }

    @Test
    void allIgnoredImageCountsNothingAndGivesNaN() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.update(new int[] {255, 255, 255}, new int[] {0, 1, 2});
        assertEquals(0, cm.validPixels());
        SegmentationMetrics m = cm.metrics();
        assertTrue(Double.isNaN(m.meanIou()));
        assertTrue(Double.isNaN(m.pixelAccuracy()));
        assertTrue(Double.isNaN(m.meanClassAccuracy()));
        assertEquals(0, m.presentClasses());
        // Added to real data it changes nothing.
        ConfusionMatrix real = new ConfusionMatrix(3);
        real.update(LABELS, PREDS);
        SegmentationMetrics before = real.metrics();
        real.merge(cm);
        assertEquals(before, real.metrics());
    }

    @Test
    void perfectPredictionScoresOne() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        int[] labels = {0, 1, 2, 2, 1, 255};
        int[] preds = {0, 1, 2, 2, 1, 0};
        cm.update(labels, preds);
        SegmentationMetrics m = cm.metrics();
        assertArrayEquals(new double[] {1, 1, 1}, m.classIou(), 0);
        assertEquals(1.0, m.meanIou(), 0);
        assertEquals(1.0, m.pixelAccuracy(), 0);
        assertEquals(1.0, m.meanClassAccuracy(), 0);
    }

    @Test
    void rejectsOutOfRangeValuesNamingThemAndLeavesMatrixUnchanged() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.update(LABELS, PREDS);
        long[][] before = cm.toArray();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> cm.update(new int[] {0, 7}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("label 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cm.update(new int[] {0, 1}, new int[] {0, -1}));
        assertTrue(e.getMessage().contains("prediction -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cm.update(new int[] {255}, new int[] {3}));
        assertTrue(e.getMessage().contains("prediction 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cm.update(new int[] {254}, new int[] {0}));
        assertTrue(e.getMessage().contains("254"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cm.update(new int[] {0}, new int[] {0, 1}));
        assertArrayEquals(before, cm.toArray());
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(256));
    }

    @Test
    void updatesFromNDArraysOfIntegerTypes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            long[] labels = {0, 0, 0, 1, 1, 2, 255, 255};
            NDArray lab = manager.create(labels, new Shape(2, 2, 2));
            NDArray pred = manager.create(PREDS, new Shape(2, 2, 2)).toType(DataType.INT32, false);
            ConfusionMatrix cm = new ConfusionMatrix(3);
            cm.update(lab, pred);
            ConfusionMatrix fromUint8 = new ConfusionMatrix(3);
            fromUint8.update(lab.toType(DataType.UINT8, false), pred.toType(DataType.INT64, false));
            assertArrayEquals(new long[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}, cm.toArray());
            assertArrayEquals(cm.toArray(), fromUint8.toArray());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cm.update(lab, manager.zeros(new Shape(2, 4), DataType.INT64)));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> cm.update(lab, manager.zeros(new Shape(2, 2, 2), DataType.FLOAT32)));
            NDArray bad = manager.create(new long[] {0, 4L << 32}, new Shape(1, 1, 2));
            e = assertThrows(IllegalArgumentException.class,
                    () -> cm.update(bad, manager.zeros(new Shape(1, 1, 2), DataType.INT64)));
            assertTrue(e.getMessage().contains(String.valueOf(4L << 32)), e.getMessage());
        }
    }

    @Test
    void concurrentUpdatesAndMergesLoseNoCounts() throws Exception {
        ConfusionMatrix shared = new ConfusionMatrix(3);
        ConfusionMatrix merged = new ConfusionMatrix(3);
        int threads = 4;
        int rounds = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    ConfusionMatrix local = new ConfusionMatrix(3);
                    for (int r = 0; r < rounds; r++) {
                        shared.update(LABELS, PREDS);
                        local.update(LABELS, PREDS);
                    }
                    merged.merge(local);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long n = (long) threads * rounds;
        long[][] expected = {{2 * n, n, 0}, {0, n, n}, {0, 0, n}};
        assertArrayEquals(expected, shared.toArray());
        assertArrayEquals(expected, merged.toArray());
        assertThrows(IllegalArgumentException.class, () -> shared.merge(new ConfusionMatrix(4)));
    }

    @Test
    void ofCopiesAndValidatesCounts() {
        long[][] counts = {{1, 2}, {3, 4}};
        ConfusionMatrix cm = ConfusionMatrix.of(counts);
        counts[0][0] = 100;
        assertEquals(1, cm.count(0, 0));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[][] {{-1}}));
        cm.reset();
        assertEquals(0, cm.validPixels());
    }

    @Test
    void writesCsvAtomicallyWithClassNames(@TempDir Path dir) throws Exception {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.update(LABELS, PREDS);
        Path file = dir.resolve("sub/confusion.csv");
        cm.writeCsv(file, List.of("road", "side,walk", "sky"));
        String expected = "label\\prediction,road,\"side,walk\",sky\n"
                + "road,2,1,0\n"
                + "\"side,walk\",0,1,1\n"
                + "sky,0,0,1\n";
        assertEquals(expected, Files.readString(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertThrows(IllegalArgumentException.class, () -> cm.writeCsv(file, List.of("a", "b")));
    }
}
