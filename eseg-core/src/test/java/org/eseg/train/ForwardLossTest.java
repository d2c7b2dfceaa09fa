package org.eseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.eseg.train.loss.ForwardLoss;
import org.junit.jupiter.api.Test;

/** The training step releases the forward's maps before its backward pass, and that changes no number. */
class ForwardLossTest {

    /** ESeg-S: SiLU (libtorch's fused op), squeeze-excitation, drop-path and the OHEM loss, as a run trains it. */
    private static TrainOptions options() {
        ObjectNode tree = TrainOptions.defaults();
        TrainOptions.merge(tree, Map.<String, Object>of("model", "eseg-s", "dataset", "folder", "data", "unused",
                "out", "unused", "cropHeight", 64, "cropWidth", 96, "batch", 2, "threads", 1, "seed", 7));
        TrainOptions.merge(tree, Map.<String, Object>of("emaDecay", 0.0, "dropPath", 0.3));
        return TrainOptions.fromTree(tree);
    }

    @Test
    void afterTheForwardPassTheStepHoldsOnlyItsBatchAndTheLoss() {
        try (SyntheticTraining t = SyntheticTraining.open(options(), 5, TrainingPath.EAGER);
                NDManager step = NDManager.newBaseManager()) {
            NDArray images = t.images(step);
            NDArray labels = t.labels(step);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = ForwardLoss.compute(t.model(), t.parts().loss(), t.parameterStore(), images, labels,
                        t.params());
                List<NDArray> held = step.getManagedArrays().stream().filter(a -> !a.isReleased()).toList();
                assertEquals(3, held.size(), "the step's manager holds " + held.size() + " arrays");
                assertTrue(held.contains(images) && held.contains(labels) && held.contains(loss));
                gc.backward(loss);
            }
            double gradients = 0;
            for (Pair<String, Parameter> p : t.model().getParameters()) {
                NDArray w = p.getValue().getArray();
                if (w.hasGradient()) {
                    gradients += w.getGradient().abs().sum().getFloat();
                }
            }
            assertTrue(gradients > 0, "the backward pass reached the parameters");
        }
    }

    @Test
    void releasedMapsGiveTheGradientsAndStatisticsOfMapsHeldToTheEnd() {
        try (SyntheticTraining released = SyntheticTraining.open(options(), 5, TrainingPath.EAGER);
                SyntheticTraining held = SyntheticTraining.open(options(), 5, TrainingPath.EAGER)) {
            float lossReleased = released.forwardBackward();
            float lossHeld = holdingEveryMap(held);
            assertEquals(lossHeld, lossReleased, 1e-6 * Math.abs(lossHeld));
            PairList<String, Parameter> a = held.model().getParameters();
            PairList<String, Parameter> b = released.model().getParameters();
            assertEquals(a.size(), b.size());
            int gradients = 0;
            int statistics = 0;
            for (int i = 0; i < a.size(); i++) {
                String name = a.get(i).getKey();
                NDArray wa = a.get(i).getValue().getArray();
                NDArray wb = b.get(i).getValue().getArray();
                if (wa.hasGradient()) {
                    assertClose(wa.getGradient().toFloatArray(), wb.getGradient().toFloatArray(), name + " gradient");
                    gradients++;
                } else {
                    assertClose(wa.toFloatArray(), wb.toFloatArray(), name); // BatchNorm's running statistics
                    statistics++;
                }
            }
            assertTrue(gradients > 200 && statistics > 100, gradients + " gradients, " + statistics + " statistics");
        }
    }

    /** The step as it was computed before: every map held by the step's manager until the backward pass ends. */
    private static float holdingEveryMap(SyntheticTraining t) {
        try (NDManager step = NDManager.newBaseManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = t.model().forward(t.parameterStore(), new NDList(t.images(step)), true, t.params()).head();
            NDArray loss = t.parts().loss().compute(logits, t.labels(step));
            gc.backward(loss);
            return loss.getFloat();
        }
    }

    /** Equal but for float rounding: within 1e-6 of the larger tensor's largest magnitude. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1e-30;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * scale, what + " [" + i + "]");
        }
    }
}
