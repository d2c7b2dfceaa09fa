package org.eseg.util;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class LibtorchThreadsTest {

    /** A convolution's input gradient on a shape other than the probe's, seeded. */
    private static float[] inputGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(2, 24, 10, 14));
            NDArray w = m.randomNormal(new Shape(12, 24, 3, 3));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                        .singletonOrThrow();
                gc.backward(y.mul(y.sin()).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void theThreadCountInForceComputesWhatOneThreadComputes() {
        int threads = LibtorchThreads.set(2);
        assertTrue(threads == 1 || threads == 2, "threads in force: " + threads);
        float[] many = inputGradient();
        JniUtils.setNumThreads(1);
        float[] one = inputGradient();
        LibtorchThreads.set(0);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < one.length; i++) {
            assertTrue(Float.isFinite(many[i]), "non-finite gradient at " + i + " on " + threads + " threads");
            scale = Math.max(scale, Math.abs(one[i]));
            diff = Math.max(diff, Math.abs(one[i] - many[i]));
        }
        assertTrue(diff <= 1e-4 * scale, "difference " + diff + " at scale " + scale + " on " + threads + " threads");
    }
}
