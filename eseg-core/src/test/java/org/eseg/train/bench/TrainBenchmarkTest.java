package org.eseg.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.eseg.train.SyntheticTraining;
import org.eseg.train.TrainOptions;
import org.eseg.train.TrainingPath;
import org.junit.jupiter.api.Test;

class TrainBenchmarkTest {

    private static TrainOptions options(double emaDecay) {
        ObjectNode tree = TrainOptions.defaults();
        TrainOptions.merge(tree, Map.<String, Object>of("model", "eseg-lite-s", "dataset", "folder", "data", "unused",
                "out", "unused", "cropHeight", 64, "cropWidth", 64, "batch", 2, "threads", 1, "seed", 7));
        TrainOptions.merge(tree, Map.<String, Object>of("emaDecay", emaDecay, "ohem", false, "lr", 0.05));
        return TrainOptions.fromTree(tree);
    }

    @Test
    void stepsOnTheSameBatchAreRepeatableAndLearn() {
        float[] a = new float[6];
        float[] b = new float[6];
        try (SyntheticTraining x = SyntheticTraining.open(options(0), 5, TrainingPath.EAGER);
                SyntheticTraining y = SyntheticTraining.open(options(0), 5, TrainingPath.EAGER)) {
            for (int i = 0; i < a.length; i++) {
                a[i] = x.step();
                b[i] = y.step();
            }
        }
        // Same seed, same model, batch and drop-path masks: the same losses, step by step.
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6f * Math.abs(a[i]), "step " + i);
        }
        // The optimiser's update is applied: the loss on the one batch goes down.
        assertTrue(a[a.length - 1] < a[0], "loss " + a[0] + " -> " + a[a.length - 1]);
        // A random guess over 5 classes costs about ln 5 at the start.
        assertTrue(a[0] > 0.5 * Math.log(5) && a[0] < 4 * Math.log(5), "first loss " + a[0]);
    }

    @Test
    void reportsEveryPathWithItsPhases() {
        List<TrainBenchmarkResult> results = TrainBenchmark.run(List.of(
                new TrainBenchmark.Entry("plain", () -> SyntheticTraining.open(options(0), 5, TrainingPath.EAGER)),
                new TrainBenchmark.Entry("ema", () -> SyntheticTraining.open(options(0.99), 5, TrainingPath.EAGER))), 1, 2, 2);
        assertEquals(2, results.size());
        assertEquals("plain", results.get(0).path());
        assertEquals("ema", results.get(1).path());
        for (TrainBenchmarkResult r : results) {
            assertEquals(2, r.steps());
            assertTrue(r.msMean() > 0 && r.msP50() > 0, r.toString());
            assertEquals(2 * 1000.0 / r.msMean(), r.imagesPerSecond(), 1e-9);
            assertTrue(r.forwardMs() > 0 && r.backwardMs() > 0 && r.optimizerMs() > 0, r.toString());
            // The phases are parts of the step.
            double phases = r.forwardMs() + r.backwardMs() + r.optimizerMs() + r.emaMs();
            assertTrue(phases <= r.msMean() * 1.001, phases + " of " + r.msMean());
            assertTrue(r.peakRssMb() > 0, r.toString());
        }
        // Only the run that keeps an average spends time on it.
        assertTrue(results.get(1).emaMs() > 10 * results.get(0).emaMs(), results.toString());
    }

    @Test
    void refusesNoTimedSteps() {
        assertThrows(IllegalArgumentException.class, () -> TrainBenchmark.run(List.of(), 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticTraining.open(options(0), 1, TrainingPath.EAGER));
    }
}
