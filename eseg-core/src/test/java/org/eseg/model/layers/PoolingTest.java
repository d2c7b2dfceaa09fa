package org.eseg.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PoolingTest {

    @Test
    void borderWindowsAverageOnlyRealPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // A constant map stays constant: padding must not pull the border averages towards zero.
            NDArray pooled = Pooling.avg(m.ones(new Shape(2, 3, 2, 3)).mul(5f));
            assertArrayEquals(new long[] {2, 3, 1, 2}, pooled.getShape().getShape());
            float[] v = pooled.toFloatArray();
            float[] fives = new float[v.length];
            java.util.Arrays.fill(fives, 5f);
            assertArrayEquals(fives, v, 1e-6f);
            // 1..6 in a 2x3 map: window (0,0) sees 1,2,4,5; window (0,1) sees 2,3,5,6.
            NDArray x = m.arange(1f, 7f).reshape(1, 1, 2, 3);
            assertArrayEquals(new float[] {3f, 4f}, Pooling.avg(x).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void maxPoolingTakesTheLargestValueOfEachPaddedWindow() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 1..6 in a 2x3 map: window (0,0) sees 1,2,4,5; window (0,1) sees 2,3,5,6 (padding never wins).
            NDArray x = m.arange(1f, 7f).reshape(1, 1, 2, 3).neg();
            assertArrayEquals(new float[] {-1f, -2f}, Pooling.max(x).toFloatArray(), 1e-6f);
        }
    }
}
