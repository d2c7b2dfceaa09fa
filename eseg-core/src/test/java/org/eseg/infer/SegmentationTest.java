package org.eseg.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Labels and confidences from a probability map, in libtorch or in Java. */
class SegmentationTest {

    @Test
    void aTensorOfProbabilitiesGivesTheMostProbableClassTheFirstOnTies() {
        int c = 19;
        int h = 5;
        int w = 7;
        int n = h * w;
        float[] p = new float[c * n];
        Random r = new Random(3);
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextInt(4) / 4f; // many ties
        }
        byte[] expected = new byte[n];
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (p[k * n + i] > p[best * n + i]) {
                    best = k;
                }
            }
            expected[i] = (byte) best;
            confidence[i] = p[best * n + i];
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray probabilities = m.create(p, new Shape(1, c, h, w));
            Segmentation s = Segmentation.fromProbabilities(probabilities);
            assertEquals(h, s.height());
            assertEquals(w, s.width());
            assertArrayEquals(expected, s.labels());
            assertArrayEquals(confidence, s.confidence());
            // The libtorch reduction it replaces gives the same labels.
            assertArrayEquals(probabilities.squeeze(0).argMax(0).toType(ai.djl.ndarray.types.DataType.UINT8, false)
                    .toByteArray(), s.labels());
        }
    }
}
