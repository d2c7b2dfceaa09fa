package org.eseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.synth.SynthGenerator;
import org.eseg.data.synth.SynthOptions;
import org.eseg.model.EsegModel;
import org.eseg.model.io.ModelFile;
import org.eseg.train.checkpoint.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Training end to end on a tiny synthetic street set (lite-s, 64x64 crops, a few steps). */
class TrainerTest {

    @TempDir
    static Path shared;

    static Path data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeData() throws IOException {
        data = shared.resolve("synth");
        SynthGenerator.generate(data, SynthOptions.builder().size(64, 128).train(6).val(2).seed(3).threads(1).build());
    }

    static TrainOptions options(Path out, long steps, Map<String, Object> extra) {
        ObjectNode tree = TrainOptions.defaults();
        TrainOptions.merge(tree, Map.<String, Object>of(
                "model", "eseg-lite-s", "dataset", "cityscapes", "data", data.toString(), "out", out.toString(),
                "cropHeight", 64, "cropWidth", 64, "batch", 2, "steps", steps, "workers", 1));
        // One libtorch thread: with more, these tiny runs are not repeatable and some reach a NaN loss.
        TrainOptions.merge(tree, Map.<String, Object>of("logEvery", 1, "checkpointEvery", 0, "lr", 0.02, "seed", 5,
                "threads", 1));
        TrainOptions.merge(tree, extra);
        return TrainOptions.fromTree(tree);
    }

    /** A trainer that asks itself to stop once it has done {@code steps} steps, as Ctrl-C would. */
    private static Trainer stoppingAfter(TrainOptions options, long steps) {
        Trainer[] self = new Trainer[1];
        self[0] = new Trainer(options, new TrainingListener() {
            @Override
            public void stepped(long step, double loss, double lr, double ips) {
                if (step == steps) {
                    self[0].requestStop();
                }
            }
        });
        return self[0];
    }

    private static float[][] weights(byte[] encoded) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = NDList.decode(m, encoded);
            float[][] out = new float[list.size()][];
            for (int i = 0; i < list.size(); i++) {
                NDArray a = list.get(i);
                out[i] = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            }
            return out;
        }
    }

    @Test
    void runWritesCheckpointLogAndCurvesAndTheCheckpointLoads() throws IOException {
        Path run = tmp.resolve("run");
        TrainingResult r = new Trainer(options(run, 3, Map.of()), null).run();
        assertEquals(3, r.steps());
        assertTrue(Files.isRegularFile(run.resolve("latest.eseg")));
        assertTrue(Files.isRegularFile(run.resolve("train-options.json")));
        assertEquals(3, TrainOptions.fromJson(Files.readString(run.resolve("train-options.json"))).steps());
        List<JsonNode> lines = new MetricsLog(run.resolve("metrics.jsonl")).read();
        assertEquals(List.of(1L, 2L, 3L, 3L), lines.stream().map(n -> n.get("step").asLong()).toList());
        assertTrue(lines.get(0).has("loss") && lines.get(0).has("lr"));
        assertTrue(lines.get(3).has("miou"), "validation line: " + lines.get(3));
        assertTrue(ImageIO.read(run.resolve("curves.png").toFile()).getWidth() > 100);
        assertTrue(r.validation() != null && r.validation().meanIou() >= 0);
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = ModelFile.load(Checkpoint.resolve(run), m); // a run folder means its latest checkpoint
            assertEquals(19, model.config().numClasses());
        }
        Checkpoint c = Checkpoint.read(run);
        assertEquals(3, c.state().step());
        assertEquals(19, c.classes().size());
    }

    @Test
    void aHookSeesEveryLoggedStepValidationAndCheckpointAsTheRunRecordsThem() throws IOException {
        Path run = tmp.resolve("hooked");
        List<String> seen = new java.util.ArrayList<>();
        new Trainer(options(run, 5, Map.of("logEvery", 2, "evalEvery", 2, "checkpointEvery", 4)), null)
                .addHook(new TrainingHook() {
                    @Override
                    public void onStep(LoggedStep s) {
                        seen.add("step " + s.step() + " loss " + (float) s.loss());
                    }

                    @Override
                    public void onValidation(long step, org.eseg.eval.SegmentationMetrics m) {
                        seen.add("validation " + step + " miou " + m.meanIou());
                    }

                    @Override
                    public void onCheckpoint(long step, Path file) {
                        seen.add("checkpoint " + step + " " + file.getFileName());
                    }

                    @Override
                    public void onEnd(long step) {
                        seen.add("end " + step);
                    }
                })
                .run();
        // The same events, rebuilt from what the run wrote: metrics.jsonl has a line per logged step (2, 4 and the
        // last, 5) and per validation (every 2 steps and at the end); checkpoints at 4 and at the end.
        List<String> written = new java.util.ArrayList<>();
        for (JsonNode n : new MetricsLog(run.resolve("metrics.jsonl")).read()) {
            long step = n.get("step").asLong();
            if (n.has("loss")) {
                written.add("step " + step + " loss " + n.get("loss").floatValue());
            } else {
                written.add("validation " + step + " miou " + n.get("miou").asDouble());
            }
            if (step == 4 && n.has("miou")) {
                written.add("checkpoint 4 latest.eseg");
            }
        }
        written.add("checkpoint 5 latest.eseg");
        written.add("end 5");
        assertEquals(written, seen);
        assertEquals(List.of("step 2", "validation 2", "step 4", "validation 4", "checkpoint 4", "step 5",
                "validation 5", "checkpoint 5", "end 5"),
                seen.stream().map(e -> e.split(" ")[0] + " " + e.split(" ")[1]).toList());
    }

    /** ESeg-Lite-S (ReLU) and ESeg-S (libtorch's fused SiLU, squeeze-excitation): 2 steps + resume + 2 = 4 steps. */
    @ParameterizedTest
    @ValueSource(strings = {"eseg-lite-s", "eseg-s"})
    void stoppingAndResumingGivesTheSameWeightsAsOneRun(String model) throws IOException {
        Map<String, Object> extra = Map.of("dropPath", 0.3, "model", model);
        Path whole = tmp.resolve(model + "-whole");
        new Trainer(options(whole, 4, extra), null).run();

        Path split = tmp.resolve(model + "-split");
        Trainer first = stoppingAfter(options(split, 4, extra), 2);
        TrainingResult stopped = first.run();
        assertTrue(stopped.interrupted());
        assertEquals(2, Checkpoint.read(split).state().step());
        TrainingResult resumed = Trainer.resume(split, null, null).run();
        assertEquals(4, resumed.steps());

        Checkpoint a = Checkpoint.read(whole);
        Checkpoint b = Checkpoint.read(split);
        float[][] wa = weights(a.trainWeights());
        float[][] wb = weights(b.trainWeights());
        assertEquals(wa.length, wb.length);
        for (int i = 0; i < wa.length; i++) {
            assertArrayEquals(wa[i], wb[i], 1e-5f, "tensor " + i);
        }
        float[][] ea = weights(a.weights());
        float[][] eb = weights(b.weights());
        for (int i = 0; i < ea.length; i++) {
            assertArrayEquals(ea[i], eb[i], 1e-5f, "EMA tensor " + i);
        }
        // the log of the resumed run has each step once
        List<Long> steps = new MetricsLog(split.resolve("metrics.jsonl")).read().stream()
                .filter(n -> n.has("loss")).map(n -> n.get("step").asLong()).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), steps);
    }

    /** Two replicas on the CPU stand in for two GPUs: the data-parallel run also resumes exactly. */
    @Test
    void dataParallelRunResumesExactlyAndKeepsOneCheckpointFormat() throws IOException {
        Map<String, Object> extra = Map.of("devices", "cpu,cpu", "batch", 4, "valSplit", "none");
        TrainingResult whole = new Trainer(options(tmp.resolve("dp-whole"), 4, extra), null).run();
        assertEquals(4, whole.steps());
        assertTrue(Float.isFinite((float) whole.lastLoss()));

        Path split = tmp.resolve("dp-split");
        Trainer first = stoppingAfter(options(split, 4, extra), 2);
        assertTrue(first.run().interrupted());
        assertEquals(4, Trainer.resume(split, null, null).run().steps());
        float[][] wa = weights(Checkpoint.read(tmp.resolve("dp-whole")).trainWeights());
        float[][] wb = weights(Checkpoint.read(split).trainWeights());
        for (int i = 0; i < wa.length; i++) {
            assertArrayEquals(wa[i], wb[i], 1e-5f, "tensor " + i);
        }
        // A data-parallel checkpoint is an ordinary model file.
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(19, ModelFile.load(Checkpoint.resolve(split), m).config().numClasses());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> options(tmp.resolve("dp-bad"), 2, Map.of("devices", "cpu,tpu0")));
        assertTrue(bad.getMessage().contains("tpu0"), bad.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> options(tmp.resolve("dp-small"), 2, Map.of("devices", "cpu,cpu,cpu", "batch", 2)));
        assertTrue(small.getMessage().contains("3 devices"), small.getMessage());
    }

    @Test
    void aDivergingLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = tmp.resolve("nan");
        // An absurd weight decay flips and inflates every weight each step until the activations overflow.
        Trainer t = new Trainer(options(run, 20, Map.of("weightDecay", 1e30, "checkpointEvery", 1, "emaDecay", 0.0,
                "valSplit", "none")), null);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::run);
        assertTrue(e.getMessage().contains("latest.eseg"), e.getMessage());
        Checkpoint last = Checkpoint.read(run);
        for (float[] w : weights(last.trainWeights())) {
            for (float v : w) {
                assertTrue(Float.isFinite(v), "checkpoint holds a non-finite weight");
            }
        }
        assertTrue(last.state().step() < 20);
    }

    @Test
    void initFromAnotherRunWithNewClassesKeepsAllButTheClassifier() throws IOException {
        // Both runs stop before their first step, so each checkpoint holds exactly the weights its run started from.
        Path src = tmp.resolve("src");
        Trainer first = new Trainer(options(src, 1, Map.of()), null); // the 19 Cityscapes classes
        first.requestStop();
        first.run();
        // a run on 5 classes, seeded differently: every tensor but the classifier must be copied, the classifier new
        Path dst = tmp.resolve("dst");
        Trainer t = new Trainer(options(dst, 1, Map.of("dataset", "folder", "data",
                fiveClassFolder(tmp.resolve("five")).toString(), "valSplit", "none", "initFrom", src.toString(),
                "seed", 6)), null);
        t.requestStop();
        t.run();
        Checkpoint target = Checkpoint.read(dst);
        assertEquals(5, target.classes().size());
        Map<String, float[]> a = namedWeights(Checkpoint.read(src).weights());
        Map<String, float[]> b = namedWeights(target.trainWeights());
        assertEquals(a.keySet(), b.keySet());
        List<String> resized = new java.util.ArrayList<>();
        for (String name : a.keySet()) {
            if (a.get(name).length != b.get(name).length) {
                resized.add(name);
                assertEquals(a.get(name).length / 19 * 5, b.get(name).length, name + ": one row per class");
                for (float v : b.get(name)) {
                    assertTrue(Float.isFinite(v), name);
                }
            } else {
                assertArrayEquals(a.get(name), b.get(name), name);
            }
        }
        assertEquals(2, resized.size(), "only the classifier's weight and bias are new: " + resized);
    }

    /** The synthetic training images as a folder dataset of 5 classes (horizontal bands of labels 0..4). */
    private static Path fiveClassFolder(Path root) throws IOException {
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        Files.writeString(root.resolve("classes.txt"), "a\nb\nc\nd\ne\n");
        List<Path> images;
        try (var files = Files.walk(data.resolve("leftImg8bit/train"))) {
            images = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        for (int i = 0; i < images.size(); i++) {
            Files.copy(images.get(i), root.resolve("images/img" + i + ".png"));
            byte[] labels = new byte[64 * 128];
            for (int p = 0; p < labels.length; p++) {
                labels[p] = (byte) (p / 128 * 5 / 64);
            }
            ImageFiles.writeGrayPng(root.resolve("masks/img" + i + ".png"), 64, 128, labels);
        }
        return root;
    }

    private static Map<String, float[]> namedWeights(byte[] encoded) {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, float[]> out = new java.util.LinkedHashMap<>();
            for (NDArray a : NDList.decode(m, encoded)) {
                out.put(a.getName(), a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
            }
            return out;
        }
    }

    @Test
    void badOptionsNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options(tmp, 1, Map.of("batch", 0)));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.fromTree(TrainOptions.merge(TrainOptions.defaults(), Map.of("lrr", 1))));
        assertTrue(unknown.getMessage().contains("lrr"), unknown.getMessage());
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(options(tmp.resolve("x"), 1, Map.of("data", tmp.resolve("missing").toString())), null).run());
        assertTrue(noData.getMessage().contains("missing"), noData.getMessage());
        assertFalse(Files.exists(tmp.resolve("x")), "a bad --data leaves no run folder behind");
        String missingGpu = "gpu" + ai.djl.engine.Engine.getInstance().getGpuCount();
        IllegalArgumentException noGpu = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(options(tmp.resolve("y"), 1, Map.of("devices", "cpu," + missingGpu)), null).run());
        assertTrue(noGpu.getMessage().contains(missingGpu + " is not visible"), noGpu.getMessage());
        assertFalse(Files.exists(tmp.resolve("y")), "an unusable device leaves no run folder behind");
    }
}
