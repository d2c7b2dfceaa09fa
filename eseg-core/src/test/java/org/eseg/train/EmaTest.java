package org.eseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import org.junit.jupiter.api.Test;

class EmaTest {

    private static final String W = "01Linear_weight";
    private static final String MEAN = "02BatchNorm_runningMean";

    private static Block model(NDManager m) {
        Block b = new SequentialBlock().add(Linear.builder().setUnits(2).build()).add(BatchNorm.builder().build());
        b.initialize(m, DataType.FLOAT32, new Shape(1, 2));
        return b;
    }

    private static void set(Block b, String name, float... values) {
        b.getParameters().get(name).getArray().set(values);
    }

    private static float[] get(Block b, String name) {
        return b.getParameters().get(name).getArray().toFloatArray();
    }

    @Test
    void averagesWeightsAndRunningStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = model(m);
            set(b, W, 1, 2, 3, 4);
            set(b, MEAN, 10, -10);
            try (Ema ema = Ema.builder().setParameters(b.getParameters()).setDecay(0.5).build()) {
                // Raw values over three steps; each update: ema = 0.5·ema + 0.5·p.
                float[][] w = {{3, 2, 1, 0}, {5, 6, 7, 8}, {1, 1, 1, 1}};
                float[][] mean = {{0, 0}, {4, 4}, {-2, 2}};
                double[] ew = {1, 2, 3, 4};
                double[] em = {10, -10};
                for (int s = 0; s < 3; s++) {
                    set(b, W, w[s]);
                    set(b, MEAN, mean[s]);
                    ema.update();
                    for (int i = 0; i < 4; i++) {
                        ew[i] = 0.5 * ew[i] + 0.5 * w[s][i];
                    }
                    for (int i = 0; i < 2; i++) {
                        em[i] = 0.5 * em[i] + 0.5 * mean[s][i];
                    }
                }
                assertEquals(3, ema.updates());
                assertArrayEquals(toFloats(ew), ema.average(W, m).toFloatArray(), 1e-6f);
                assertArrayEquals(toFloats(em), ema.average(MEAN, m).toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void warmupUsesMinOfDecayAndStepRatio() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = model(m);
            set(b, W, 0, 0, 0, 0);
            try (Ema ema = Ema.builder().setParameters(b.getParameters()).setDecay(0.9).optWarmup(true).build()) {
                double expected = 0;
                for (int k = 0; k < 100; k++) {
                    double d = Math.min(0.9, (1.0 + k) / (10.0 + k));
                    assertEquals(d, ema.currentDecay(), 1e-15);
                    set(b, W, k, k, k, k);
                    ema.update();
                    expected = d * expected + (1 - d) * k;
                }
                // The ratio passes 0.9 at k = 80; from there on the decay is 0.9.
                assertEquals(0.9, ema.currentDecay(), 0.0);
                assertEquals(expected, ema.average(W, m).toFloatArray()[0], 1e-3);
            }
        }
    }

    @Test
    void copyToLoadsAveragesIntoAnotherBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block train = model(m);
            Block eval = model(m);
            set(train, W, 1, 1, 1, 1);
            try (Ema ema = Ema.builder().setParameters(train.getParameters()).setDecay(0.75).build()) {
                set(train, W, 5, 5, 5, 5);
                ema.update(); // 0.75·1 + 0.25·5 = 2
                ema.copyTo(eval);
                assertArrayEquals(new float[] {2, 2, 2, 2}, get(eval, W), 1e-6f);
                for (var p : train.getParameters()) {
                    assertArrayEquals(ema.average(p.getKey(), m).toFloatArray(), get(eval, p.getKey()), 0f, p.getKey());
                }
                Block other = new SequentialBlock().add(Linear.builder().setUnits(3).build());
                other.initialize(m, DataType.FLOAT32, new Shape(1, 2));
                assertThrows(IllegalArgumentException.class, () -> ema.copyTo(other));
            }
        }
    }

    @Test
    void exportImportResumesExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = model(m);
            Block first = model(m);
            Block second = model(m);
            set(b, W, 0, 0, 0, 0);
            for (var p : b.getParameters()) {
                p.getValue().getArray().copyTo(first.getParameters().get(p.getKey()).getArray());
                p.getValue().getArray().copyTo(second.getParameters().get(p.getKey()).getArray());
            }
            float[][] steps = {{1, 2, 3, 4}, {0, 1, 0, 1}, {3, 3, 3, 3}, {-1, 2, -3, 4}};
            float[] straight;
            try (Ema ema = Ema.builder().setParameters(b.getParameters()).setDecay(0.6).optWarmup(true).build()) {
                for (float[] s : steps) {
                    set(b, W, s);
                    ema.update();
                }
                straight = ema.average(W, m).toFloatArray();
            }
            NDList state;
            try (Ema ema = Ema.builder().setParameters(first.getParameters()).setDecay(0.6).optWarmup(true).build()) {
                for (int i = 0; i < 2; i++) {
                    set(first, W, steps[i]);
                    ema.update();
                }
                state = ema.exportState(m);
            }
            assertEquals(W, state.get(0).getName());
            assertEquals(Ema.UPDATES_NAME, state.get(state.size() - 1).getName());
            try (Ema ema = Ema.builder().setParameters(second.getParameters()).setDecay(0.6).optWarmup(true).build()) {
                ema.importState(state);
                assertEquals(2, ema.updates());
                for (int i = 2; i < 4; i++) {
                    set(second, W, steps[i]);
                    ema.update();
                }
                assertArrayEquals(straight, ema.average(W, m).toFloatArray(), 0f);
                NDList missing = new NDList(state.get(0));
                assertThrows(IllegalArgumentException.class, () -> ema.importState(missing));
            }
        }
    }

    @Test
    void builderValidates() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = model(m);
            assertThrows(IllegalArgumentException.class, () -> Ema.builder().setDecay(0.9).build());
            assertThrows(IllegalArgumentException.class, () -> Ema.builder().setParameters(b.getParameters()).build());
            assertThrows(IllegalArgumentException.class,
                    () -> Ema.builder().setParameters(b.getParameters()).setDecay(1).build());
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
