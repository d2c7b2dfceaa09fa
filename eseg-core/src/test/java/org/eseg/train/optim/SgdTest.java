package org.eseg.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class SgdTest {

    // Linear 3 → 2 with y = x·Wᵀ + b, loss = Σ y², batch of two inputs.
    private static final float[] W0 = {0.5f, -0.3f, 0.2f, 0.1f, 0.4f, -0.6f};
    private static final float[] B0 = {0.05f, -0.1f};
    private static final float[][] X = {{1f, 2f, -1f}, {0.5f, -1.5f, 2f}};

    private static Block linear(NDManager m) {
        Block b = Linear.builder().setUnits(2).build();
        b.initialize(m, DataType.FLOAT32, new Shape(2, 3));
        b.getParameters().get("weight").getArray().set(W0);
        b.getParameters().get("bias").getArray().set(B0);
        return b;
    }

    private static void backward(Block block, NDManager m) {
        NDArray x = m.create(X);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
            gc.backward(y.square().sum());
        }
    }

    /** Plain-Java PyTorch SGD on the same problem: {weights, bias} after the given steps. */
    private static double[][] reference(double[] lrs, double momentum, double wd, boolean decayBias,
            boolean nesterov, double maxNorm) {
        double[] w = new double[6];
        double[] b = new double[2];
        for (int i = 0; i < 6; i++) {
            w[i] = W0[i];
        }
        b[0] = B0[0];
        b[1] = B0[1];
        double[] bufW = new double[6];
        double[] bufB = new double[2];
        for (double lr : lrs) {
            double[] gw = new double[6];
            double[] gb = new double[2];
            for (float[] x : X) {
                for (int o = 0; o < 2; o++) {
                    double y = b[o];
                    for (int i = 0; i < 3; i++) {
                        y += w[o * 3 + i] * x[i];
                    }
                    gb[o] += 2 * y;
                    for (int i = 0; i < 3; i++) {
                        gw[o * 3 + i] += 2 * y * x[i];
                    }
                }
            }
            double clip = 1;
            if (maxNorm > 0) {
                double ss = 0;
                for (double g : gw) {
                    ss += g * g;
                }
                for (double g : gb) {
                    ss += g * g;
                }
                clip = Math.min(1, maxNorm / (Math.sqrt(ss) + 1e-6));
            }
            sgd(w, gw, bufW, lr, momentum, wd, nesterov, clip);
            sgd(b, gb, bufB, lr, momentum, decayBias ? wd : 0, nesterov, clip);
        }
        return new double[][] {w, b};
    }

    private static void sgd(double[] p, double[] g, double[] buf, double lr, double momentum, double wd,
            boolean nesterov, double clip) {
        for (int i = 0; i < p.length; i++) {
            double d = g[i] * clip + wd * p[i];
            buf[i] = momentum * buf[i] + d;
            d = nesterov ? d + momentum * buf[i] : buf[i];
            p[i] -= lr * d;
        }
    }

    private static double[] values(Block b, String name) {
        float[] f = b.getParameters().get(name).getArray().toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void run(Block block, Sgd sgd, NDManager m, double[] lrs) {
        for (double lr : lrs) {
            backward(block, m);
            sgd.step(lr);
            sgd.zeroGradients();
        }
    }

    private static void assertMatches(double[] lrs, Sgd.Builder options, double momentum, double wd,
            boolean decayBias, boolean nesterov, double maxNorm) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m);
            try (Sgd sgd = options.setParameters(block.getParameters()).build()) {
                run(block, sgd, m, lrs);
            }
            double[][] expected = reference(lrs, momentum, wd, decayBias, nesterov, maxNorm);
            assertArrayEquals(expected[0], values(block, "weight"), 1e-5);
            assertArrayEquals(expected[1], values(block, "bias"), 1e-5);
        }
    }

    @Test
    void momentumAndWeightDecayMatchPyTorchSemantics() {
        double[] lrs = {0.05, 0.04, 0.03, 0.02};
        assertMatches(lrs, Sgd.builder().optMomentum(0.9).optWeightDecay(0.1), 0.9, 0.1, true, false, 0);
    }

    @Test
    void biasExcludedFromWeightDecayWhenFlagged() {
        double[] lrs = {0.05, 0.05, 0.05};
        assertMatches(lrs, Sgd.builder().optMomentum(0.9).optWeightDecay(0.1).optExcludeNormAndBias(true),
                0.9, 0.1, false, false, 0);
    }

    @Test
    void nesterovAndPlainSgd() {
        double[] lrs = {0.05, 0.03, 0.01};
        assertMatches(lrs, Sgd.builder().optMomentum(0.8).optNesterov(true).optWeightDecay(0.01),
                0.8, 0.01, true, true, 0);
        assertMatches(lrs, Sgd.builder().optMomentum(0), 0, 0, true, false, 0);
    }

    @Test
    void globalNormClippingScalesTheUpdate() {
        double[] lrs = {0.05, 0.05};
        assertMatches(lrs, Sgd.builder().optMomentum(0.9).optMaxGradNorm(1.0), 0.9, 0, true, false, 1.0);
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m);
            try (Sgd sgd = Sgd.builder().setParameters(block.getParameters()).optMaxGradNorm(1).build()) {
                backward(block, m);
                sgd.step(0.01);
                assertTrue(sgd.lastGradientNorm() > 1, "the toy problem's gradient norm exceeds the limit");
            }
        }
    }

    @Test
    void decayExclusionCoversBatchNormAndCustomPredicates() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock()
                    .add(Linear.builder().setUnits(3).build())
                    .add(BatchNorm.builder().build());
            block.initialize(m, DataType.FLOAT32, new Shape(2, 4));
            try (Sgd sgd = Sgd.builder().setParameters(block.getParameters()).optWeightDecay(1e-4)
                    .optExcludeNormAndBias(true).build()) {
                for (var p : block.getParameters()) {
                    boolean expected = p.getKey().endsWith("weight");
                    assertEquals(expected, sgd.decays(p.getKey(), p.getValue()), p.getKey());
                }
            }
            try (Sgd sgd = Sgd.builder().setParameters(block.getParameters()).optWeightDecay(1e-4)
                    .optDecayExclusion(ParameterFilters.AT_MOST_1D).build()) {
                Parameter w = block.getParameters().get("01Linear_weight");
                Parameter g = block.getParameters().get("02BatchNorm_gamma");
                assertTrue(sgd.decays("01Linear_weight", w));
                assertFalse(sgd.decays("02BatchNorm_gamma", g));
            }
        }
    }

    @Test
    void runningStatisticsAreNotTouched() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock()
                    .add(Linear.builder().setUnits(3).build())
                    .add(BatchNorm.builder().build());
            block.initialize(m, DataType.FLOAT32, new Shape(4, 2));
            try (Sgd sgd = Sgd.builder().setParameters(block.getParameters()).optWeightDecay(0.5).build()) {
                NDArray x = m.randomNormal(new Shape(4, 2));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                    gc.backward(y.mul(m.create(new float[] {1f, 2f, 3f}).reshape(1, 3)).sum());
                }
                float[] mean = block.getParameters().get("02BatchNorm_runningMean").getArray().toFloatArray();
                float[] weight = block.getParameters().get("01Linear_weight").getArray().toFloatArray();
                sgd.step(0.1);
                assertArrayEquals(mean, block.getParameters().get("02BatchNorm_runningMean").getArray().toFloatArray());
                assertFalse(java.util.Arrays.equals(weight,
                        block.getParameters().get("01Linear_weight").getArray().toFloatArray()));
            }
        }
    }

    @Test
    void zeroGradientsClearsAccumulatedGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m);
            try (Sgd sgd = Sgd.builder().setParameters(block.getParameters()).build()) {
                backward(block, m);
                NDArray w = block.getParameters().get("weight").getArray();
                try (NDArray g = w.getGradient()) {
                    assertTrue(g.abs().sum().getFloat() > 0);
                }
                sgd.zeroGradients();
                try (NDArray g = w.getGradient()) {
                    assertEquals(0f, g.abs().sum().getFloat(), 0f);
                }
            }
        }
    }

    @Test
    void exportedStateResumesExactly() {
        double[] lrs = {0.05, 0.04, 0.03, 0.02, 0.01};
        try (NDManager m = NDManager.newBaseManager()) {
            Block straight = linear(m);
            try (Sgd sgd = Sgd.builder().setParameters(straight.getParameters()).optWeightDecay(0.01).build()) {
                run(straight, sgd, m, lrs);
            }

            Block first = linear(m);
            NDList state;
            NDList weights = new NDList();
            try (Sgd sgd = Sgd.builder().setParameters(first.getParameters()).optWeightDecay(0.01).build()) {
                run(first, sgd, m, new double[] {lrs[0], lrs[1]});
                state = sgd.exportState(m);
                for (var p : first.getParameters()) {
                    weights.add(p.getValue().getArray().duplicate());
                }
            }
            assertEquals("weight" + Sgd.MOMENTUM_SUFFIX, state.get(0).getName());
            // A fresh block and optimizer, as after a restart.
            Block resumed = linear(m);
            for (int i = 0; i < weights.size(); i++) {
                weights.get(i).copyTo(resumed.getParameters().get(i).getValue().getArray());
            }
            try (Sgd sgd = Sgd.builder().setParameters(resumed.getParameters()).optWeightDecay(0.01).build()) {
                sgd.importState(state);
                state.close(); // the optimizer keeps copies
                run(resumed, sgd, m, new double[] {lrs[2], lrs[3], lrs[4]});
            }
            assertArrayEquals(values(straight, "weight"), values(resumed, "weight"), 0.0);
            assertArrayEquals(values(straight, "bias"), values(resumed, "bias"), 0.0);
        }
    }

    @Test
    void importRejectsUnknownNamesAndWrongShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m);
            try (Sgd sgd = Sgd.builder().setParameters(block.getParameters()).build()) {
                NDArray unknown = m.zeros(new Shape(2));
                unknown.setName("nope" + Sgd.MOMENTUM_SUFFIX);
                assertThrows(IllegalArgumentException.class, () -> sgd.importState(new NDList(unknown)));
                NDArray wrong = m.zeros(new Shape(3));
                wrong.setName("bias" + Sgd.MOMENTUM_SUFFIX);
                assertThrows(IllegalArgumentException.class, () -> sgd.importState(new NDList(wrong)));
            }
        }
    }

    @Test
    void stepsDoNotLeakArrays() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m);
            try (Sgd sgd = Sgd.builder().setParameters(block.getParameters()).optWeightDecay(0.01)
                    .optMaxGradNorm(1).build()) {
                backward(block, m);
                sgd.step(0.01); // creates the momentum buffers
                BaseNDManager params = (BaseNDManager) block.getParameters().get("weight").getArray().getManager();
                int before = countAll(params);
                for (int i = 0; i < 5; i++) {
                    sgd.step(0.01);
                    sgd.zeroGradients();
                }
                assertEquals(before, countAll(params));
            }
        }
    }

    /** Arrays in a manager and its sub-managers (the optimizer's manager is one). */
    private static int countAll(BaseNDManager manager) {
        return manager.getManagedArrays().size();
    }

    @Test
    void builderValidates() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m);
            var params = block.getParameters();
            assertThrows(IllegalArgumentException.class, () -> Sgd.builder().build());
            assertThrows(IllegalArgumentException.class, () -> Sgd.builder().setParameters(params).optMomentum(1).build());
            assertThrows(IllegalArgumentException.class, () -> Sgd.builder().setParameters(params).optWeightDecay(-1).build());
            assertThrows(IllegalArgumentException.class, () -> Sgd.builder().setParameters(params).optMaxGradNorm(-1).build());
            assertThrows(IllegalArgumentException.class,
                    () -> Sgd.builder().setParameters(params).optMomentum(0).optNesterov(true).build());
            try (Sgd sgd = Sgd.builder().setParameters(params).build()) {
                assertThrows(IllegalArgumentException.class, () -> sgd.step(-0.1));
            }
        }
    }
}
