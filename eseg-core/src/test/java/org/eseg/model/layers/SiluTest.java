package org.eseg.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.eseg.util.NoGrad;
import org.junit.jupiter.api.Test;

/** libtorch's fused SiLU against the reference x · sigmoid(x), computed here in Java. */
class SiluTest {

    private static double reference(double x) {
        return x / (1 + Math.exp(-x));
    }

    /** d/dx x·sigmoid(x) = s + x·s·(1 − s). */
    private static double derivative(double x) {
        double s = 1 / (1 + Math.exp(-x));
        return s + x * s * (1 - s);
    }

    @Test
    void valuesAndGradientsEqualTheDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(0, 3, new Shape(2, 3, 5, 7), ai.djl.ndarray.types.DataType.FLOAT32);
            x.setRequiresGradient(true);
            float[] in = x.toFloatArray();
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = Act.SILU.apply(x);
                // loss = Σ y², so dloss/dx = 2·y·silu'(x)
                gc.backward(y.mul(y).sum());
            }
            assertSame(x.getManager(), y.getManager(), "the result belongs to the input's manager");
            assertEquals(x.getShape(), y.getShape());
            float[] out = y.toFloatArray();
            float[] grad = x.getGradient().toFloatArray();
            for (int i = 0; i < in.length; i++) {
                double want = reference(in[i]);
                assertEquals(want, out[i], 1e-5 * Math.max(1, Math.abs(want)), "silu at " + in[i]);
                double g = 2 * want * derivative(in[i]);
                assertEquals(g, grad[i], 1e-4 * Math.max(1, Math.abs(g)), "gradient at " + in[i]);
            }
        }
    }

    @Test
    void recordsNothingWithAutogradOffAndItsResultCanBeUpdatedInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-2, 0, 3}, new Shape(3));
            x.setRequiresGradient(true);
            NDArray y;
            try (NoGrad g = NoGrad.enter()) {
                y = Act.SILU.apply(x);
                y.addi(1); // an inference tensor would refuse this
            }
            assertFalse(y.hasGradient());
            float[] v = y.toFloatArray();
            assertEquals(reference(-2) + 1, v[0], 1e-6);
            assertEquals(1, v[1], 1e-6);
            assertEquals(reference(3) + 1, v[2], 1e-6);
        }
    }
}
