package org.eseg.train.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.train.loss.CrossEntropyLoss;
import org.eseg.util.NoGrad;
import org.eseg.util.LibtorchThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas on the CPU: the data-parallel arithmetic without a GPU. */
class DataParallelTest {

    @BeforeAll
    static void threads() {
        // The reference gradients below run outside the trainer, which would otherwise set this.
        LibtorchThreads.set(0);
    }


    private static final Shape INIT = new Shape(1, 3, 32, 32);

    private static EsegConfig config() {
        EsegConfig c = EsegVariants.byName("eseg-lite-s").withClasses(4);
        return c.withBackbone(c.backbone().withDropPath(0.0)); // no randomness in the forward pass
    }

    @Test
    void masterGradientIsTheShareWeightedMeanOfTheShardGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel master = EsegModel.create(config());
            master.initialize(manager, DataType.FLOAT32, INIT);
            EsegModel reference = EsegModel.create(config());
            reference.initialize(manager, DataType.FLOAT32, INIT);
            copy(master, reference);
            Random rng = new Random(3);
            int n = 5; // uneven shards: 2 and 3 images (BatchNorm needs two values per channel at 1x1 levels)
            float[] px = new float[n * 3 * 32 * 48];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) rng.nextGaussian();
            }
            long[] lab = new long[n * 32 * 48];
            for (int i = 0; i < lab.length; i++) {
                lab[i] = i % 97 == 0 ? 255 : rng.nextInt(4);
            }
            CrossEntropyLoss loss = new CrossEntropyLoss();
            float dpLoss;
            List<float[]> dpGrads;
            try (DataParallel dp = DataParallel.create(master, List.of(Device.cpu(), Device.cpu()), INIT);
                    NDManager step = manager.newSubManager()) {
                // The replica starts as an exact copy of the master.
                List<NDArray> replica = dp.replicaParameters(1);
                List<NDArray> own = arrays(master);
                for (int p = 0; p < own.size(); p++) {
                    assertTrue(own.get(p).contentEquals(replica.get(p)), "parameter " + p);
                }
                dpLoss = dp.forwardBackward(step.create(px, new Shape(n, 3, 32, 48)),
                        step.create(lab, new Shape(n, 32, 48)), loss, new PairList<>());
                dpGrads = gradients(master);
                for (NDArray w : replica) {
                    if (w.hasGradient()) {
                        assertEquals(0f, w.getGradient().abs().max().getFloat(), "replica gradients are cleared");
                    }
                }
            }
            // The same batch by hand: shard 0 = images 0-1 (weight 2/5), shard 1 = images 2-4 (weight 3/5).
            List<float[]> expected = null;
            double expectedLoss = 0;
            long[][] shards = {{0, 2}, {2, 5}};
            for (long[] s : shards) {
                double share = (s[1] - s[0]) / (double) n;
                try (NDManager step = manager.newSubManager()) {
                    NDIndex at = new NDIndex("{}:{}", s[0], s[1]);
                    NDArray x = step.create(px, new Shape(n, 3, 32, 48)).get(at);
                    NDArray y = step.create(lab, new Shape(n, 32, 48)).get(at);
                    zeroGradients(reference);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = reference.forward(new ParameterStore(step, false), new NDList(x), true).head();
                        NDArray l = loss.compute(logits, y);
                        expectedLoss += share * l.getFloat();
                        gc.backward(l.mul((float) share));
                    }
                    List<float[]> g = gradients(reference);
                    if (expected == null) {
                        expected = g;
                    } else {
                        for (int p = 0; p < g.size(); p++) {
                            for (int k = 0; k < g.get(p).length; k++) {
                                expected.get(p)[k] += g.get(p)[k];
                            }
                        }
                    }
                }
            }
            assertEquals(expectedLoss, dpLoss, 1e-5 * Math.abs(expectedLoss));
            assertEquals(expected.size(), dpGrads.size());
            double maxGrad = 0;
            double maxDiff = 0;
            for (int p = 0; p < expected.size(); p++) {
                for (int k = 0; k < expected.get(p).length; k++) {
                    maxGrad = Math.max(maxGrad, Math.abs(expected.get(p)[k]));
                    maxDiff = Math.max(maxDiff, Math.abs(expected.get(p)[k] - dpGrads.get(p)[k]));
                }
            }
            assertTrue(maxGrad > 1e-4, "gradients are not degenerate: " + maxGrad);
            assertTrue(maxDiff <= 1e-4 * maxGrad, "max gradient difference " + maxDiff + " (largest " + maxGrad + ")");
        }
    }

    @Test
    void broadcastCopiesTheMastersNewWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel master = EsegModel.create(config());
            master.initialize(manager, DataType.FLOAT32, INIT);
            try (DataParallel dp = DataParallel.create(master, List.of(Device.cpu(), Device.cpu(), Device.cpu()), INIT)) {
                try (NoGrad g = NoGrad.enter()) {
                    for (NDArray w : arrays(master)) {
                        w.addi(1f); // an "optimizer step"
                    }
                }
                assertTrue(!arrays(master).get(0).contentEquals(dp.replicaParameters(2).get(0)));
                dp.broadcast();
                for (int r = 1; r <= 2; r++) {
                    List<NDArray> replica = dp.replicaParameters(r);
                    List<NDArray> own = arrays(master);
                    for (int p = 0; p < own.size(); p++) {
                        assertTrue(own.get(p).contentEquals(replica.get(p)), "replica " + r + " parameter " + p);
                    }
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> dp.forwardBackward(manager.zeros(new Shape(2, 3, 32, 32)),
                                manager.zeros(new Shape(2, 32, 32), DataType.INT64), new CrossEntropyLoss(),
                                new PairList<>()));
                assertTrue(e.getMessage().contains("3 devices"), e.getMessage());
            }
        }
    }

    @Test
    void namedGpuThatIsNotVisibleIsRejectedByName() {
        List<Device> cpus = List.of(Device.cpu(), Device.cpu());
        assertEquals(cpus, DataParallel.checkVisible(cpus));
        int gpus = Engine.getInstance().getGpuCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataParallel.checkVisible(List.of(Device.cpu(), Device.gpu(gpus))));
        assertTrue(e.getMessage().startsWith("devices: gpu" + gpus + " is not visible"), e.getMessage());
    }

    private static List<NDArray> arrays(EsegModel m) {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : m.getParameters()) {
            out.add(p.getValue().getArray());
        }
        return out;
    }

    private static void copy(EsegModel from, EsegModel to) {
        List<NDArray> a = arrays(from);
        List<NDArray> b = arrays(to);
        for (int i = 0; i < a.size(); i++) {
            a.get(i).copyTo(b.get(i));
        }
    }

    private static List<float[]> gradients(EsegModel m) {
        List<float[]> out = new ArrayList<>();
        for (NDArray w : arrays(m)) {
            if (w.hasGradient()) {
                try (NDArray g = w.getGradient()) {
                    out.add(g.toFloatArray());
                }
            }
        }
        return out;
    }

    private static void zeroGradients(EsegModel m) {
        for (NDArray w : arrays(m)) {
            if (w.hasGradient()) {
                try (NDArray g = w.getGradient()) {
                    g.set(new NDIndex("..."), 0);
                }
            }
        }
    }
}
