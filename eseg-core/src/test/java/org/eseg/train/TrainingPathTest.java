package org.eseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingPathTest {

    private static TrainOptions options() {
        ObjectNode tree = TrainOptions.defaults();
        // ESeg-Lite-S: on ESeg-S, libtorch 2.7.1's channels-last training pass is wrong (see TrainingPath).
        TrainOptions.merge(tree, Map.<String, Object>of("model", "eseg-lite-s", "dataset", "folder", "data", "unused",
                "out", "unused", "cropHeight", 64, "cropWidth", 96, "batch", 2, "threads", 1, "seed", 11));
        TrainOptions.merge(tree, Map.<String, Object>of("emaDecay", 0.0, "ohem", false));
        return TrainOptions.fromTree(tree);
    }

    /** Largest |a - b| over the largest |b|; tensors whose values are all tiny are compared on an absolute floor. */
    private static double relativeDifference(NDArray a, NDArray b, double floor) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
            scale = Math.max(scale, Math.abs(y[i]));
        }
        return diff / Math.max(scale, floor);
    }

    @Test
    void channelsLastGivesTheEagerGradientsAndStatisticsOnTheLiteModel() {
        try (SyntheticTraining nchw = SyntheticTraining.open(options(), 5, TrainingPath.EAGER);
                SyntheticTraining nhwc = SyntheticTraining.open(options(), 5, TrainingPath.EAGER_CHANNELS_LAST)) {
            float lossA = nchw.forwardBackward();
            float lossB = nhwc.forwardBackward();
            assertEquals(lossA, lossB, 1e-4 * lossA);
            var a = nchw.model().getParameters();
            var b = nhwc.model().getParameters();
            assertEquals(a.size(), b.size());
            // A conv bias before BatchNorm has a zero gradient in exact arithmetic: its float values are
            // rounding noise, so differences are measured against a floor of 1e-3 of the largest gradient.
            double largest = 0;
            double largestStatistic = 0;
            for (Pair<String, Parameter> p : a) {
                NDArray w = p.getValue().getArray();
                if (w.hasGradient()) {
                    largest = Math.max(largest, w.getGradient().abs().max().getFloat());
                } else {
                    largestStatistic = Math.max(largestStatistic, w.abs().max().getFloat());
                }
            }
            int gradients = 0;
            int statistics = 0;
            for (int i = 0; i < a.size(); i++) {
                String name = a.get(i).getKey();
                assertEquals(name, b.get(i).getKey());
                NDArray wa = a.get(i).getValue().getArray();
                NDArray wb = b.get(i).getValue().getArray();
                if (wa.hasGradient()) {
                    double d = relativeDifference(wb.getGradient(), wa.getGradient(), 1e-3 * largest);
                    assertTrue(d < 1e-3, name + " gradient differs by " + d);
                    gradients++;
                } else {
                    // BatchNorm's running mean and variance, updated by the training forward pass; a running mean
                    // near zero is a sum that cancels, so it too is measured against a floor.
                    double d = relativeDifference(wb, wa, 1e-3 * largestStatistic);
                    assertTrue(d < 1e-3, name + " differs by " + d);
                    statistics++;
                }
            }
            assertTrue(gradients > 100 && statistics > 60, gradients + " gradients, " + statistics + " statistics");
        }
    }

    @Test
    void parsesLabels() {
        assertEquals(TrainingPath.EAGER_CHANNELS_LAST, TrainingPath.parse(" Eager-CL "));
        assertEquals(TrainingPath.EAGER, TrainingPath.parse("eager"));
        assertThrows(IllegalArgumentException.class, () -> TrainingPath.parse("compiled"));
    }
}
