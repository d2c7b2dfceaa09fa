package org.eseg.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eseg.data.ClassInfo;
import org.eseg.data.synth.SynthGenerator;
import org.eseg.data.synth.SynthOptions;
import org.eseg.eval.ConfusionHeatMap;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.Segmenter;
import org.eseg.train.TrainOptions;
import org.eseg.train.Trainer;
import org.eseg.train.TrainingListener;
import org.eseg.train.TrainingResult;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.util.OutputFolders;

/**
 * The whole product in one call: make a synthetic street-scene set, train a model on it within a time
 * budget, evaluate it, and write predictions, overlays and the training curve.
 *
 * <p>The dataset is made once per demo folder (atomically: a half-written set is never used) and each run
 * gets its own {@code run-N} folder, so two demos into the same folder never mix.
 */
public final class Demo {

    /** Images of the synthetic set, height × width. */
    static final int HEIGHT = 256;
    static final int WIDTH = 512;
    /** Time kept back for the final evaluation and the predictions. */
    private static final double RESERVE_SECONDS = 45;
    /** Validations during training, for the mIoU curve (the last one is at the end). */
    private static final int VALIDATIONS = 4;
    /** The time one validation pass over the synthetic val set takes, in training steps (measured: ~10). */
    private static final int VALIDATION_COST_STEPS = 10;
    private static final int CALIBRATION_STEPS = 6;
    /** Calibration steps that pay for warm-up and are not timed. */
    private static final int WARMUP_STEPS = 2;

    private Demo() {}

    /**
     * The training recipe of the demo: the paper's, shortened for a few minutes on a CPU (256×256 crops,
     * batch 8, a faster EMA and a short warm-up).
     *
     * @param o demo options
     * @param data the dataset
     * @param runDir the run folder
     * @param steps planned steps
     * @param seconds the hard time limit
     * @return the options
     */
    static TrainOptions recipe(DemoOptions o, Path data, Path runDir, long steps, long seconds) {
        ObjectNode tree = TrainOptions.defaults();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("model", o.model());
        v.put("dataset", "cityscapes");
        v.put("data", data.toString());
        v.put("out", runDir.toString());
        v.put("cropHeight", 256);
        v.put("cropWidth", 256);
        v.put("batch", 8);
        v.put("steps", steps);
        v.put("lr", 0.06);
        v.put("warmupSteps", Math.min(20, steps / 10));
        v.put("emaDecay", 0.99);
        v.put("bnMomentum", 0.1);
        v.put("scaleMin", 0.75);
        v.put("scaleMax", 1.5);
        v.put("seed", o.seed());
        v.put("logEvery", 10);
        v.put("evalEvery", Math.max(1, steps / VALIDATIONS));
        v.put("checkpointEvery", 100);
        v.put("timeLimitSeconds", seconds);
        return TrainOptions.fromTree(TrainOptions.merge(tree, v));
    }

    /**
     * Runs the demo.
     *
     * @param o options
     * @param listener training progress
     * @param log one-line status messages
     * @return where everything is
     * @throws IOException if the demo folder cannot be written (checked before any work)
     */
    public static DemoResult run(DemoOptions o, TrainingListener listener, Consumer<String> log) throws IOException {
        long start = System.nanoTime();
        OutputFolders.checkWritable(o.out());
        Path data = ensureData(o, log);
        Path runDir = newRunDir(o.out());
        log.accept("run folder: " + runDir);

        double left = o.minutes() * 60 - seconds(start) - RESERVE_SECONDS;
        double perStep = calibrate(o, data, runDir, log);
        long steps = Math.max(10, (long) (left / perStep) - (VALIDATIONS - 1) * VALIDATION_COST_STEPS);
        log.accept(String.format(java.util.Locale.ROOT,
                "training %s for %d steps (%.2f s per step measured, %.0f s budget)", o.model(), steps, perStep, left));
        TrainingResult r = new Trainer(recipe(o, data, runDir, steps, Math.max(30, (long) left)), listener).run();

        Path csv = runDir.resolve("confusion.csv");
        Path png = runDir.resolve("confusion.png");
        ClassInfo classes = Checkpoint.readClasses(r.checkpoint());
        r.confusion().writeCsv(csv, classes.names());
        ConfusionHeatMap.writePng(png, r.confusion(), classes.names());

        Path predictions = runDir.resolve("predictions");
        List<Path> val = valImages(data);
        log.accept("writing predictions and overlays for " + val.size() + " validation images");
        try (Segmenter s = Segmenter.load(r.checkpoint())) {
            PredictionWriter.Report report = new PredictionWriter(s, predictions, 0.5).write(val, null);
            if (!report.failures().isEmpty()) {
                throw new IOException("prediction failed for " + report.failures().get(0).file() + ": "
                        + report.failures().get(0).message());
            }
        }
        return new DemoResult(data, runDir, r.checkpoint(), r.validation(), csv, png, predictions,
                runDir.resolve("curves.png"), r.steps(), seconds(start));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Measures seconds per training step with a few steps in a scratch folder. */
    private static double calibrate(DemoOptions o, Path data, Path runDir, Consumer<String> log) throws IOException {
        Path scratch = runDir.resolve("calibration");
        long[] stamps = new long[CALIBRATION_STEPS + 1];
        TrainingListener timer = new TrainingListener() {
            @Override
            public void stepped(long step, double loss, double lr, double ips) {
                stamps[(int) step] = System.nanoTime();
            }
        };
        ObjectNode tree = recipe(o, data, scratch, CALIBRATION_STEPS, 0).toTree();
        tree.put("logEvery", 1);
        tree.put("valSplit", "none");
        tree.put("checkpointEvery", 0);
        log.accept("measuring the training speed ...");
        new Trainer(TrainOptions.fromTree(tree), timer).run();
        OutputFolders.deleteTree(scratch);
        // the first steps pay for warm-up (JIT, allocator, prefetch): time the rest
        return (stamps[CALIBRATION_STEPS] - stamps[WARMUP_STEPS]) / 1e9 / (CALIBRATION_STEPS - WARMUP_STEPS);
    }

    /** Makes the synthetic set unless this folder already holds it for the same settings. */
    private static Path ensureData(DemoOptions o, Consumer<String> log) throws IOException {
        Path data = o.out().resolve("data");
        String stamp = "seed=" + o.seed() + " train=" + o.trainImages() + " val=" + o.valImages()
                + " size=" + HEIGHT + "x" + WIDTH;
        Path marker = data.resolve("DEMO-DATA");
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
            log.accept("using the synthetic dataset in " + data);
            return data;
        }
        log.accept("generating " + o.trainImages() + " + " + o.valImages() + " synthetic street scenes in " + data);
        Path tmp = Files.createTempDirectory(o.out(), ".data-");
        try {
            SynthGenerator.generate(tmp, SynthOptions.builder().size(HEIGHT, WIDTH)
                    .train(o.trainImages()).val(o.valImages()).seed(o.seed()).build());
            Files.writeString(tmp.resolve("DEMO-DATA"), stamp);
            OutputFolders.deleteTree(data);
            Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            OutputFolders.deleteTree(tmp);
        }
        return data;
    }

    /** Creates the first free {@code run-N}; creation is atomic, so concurrent demos get different folders. */
    private static Path newRunDir(Path out) throws IOException {
        for (int n = 1; ; n++) {
            Path dir = out.resolve("run-" + n);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // taken: try the next
            }
        }
    }

    private static List<Path> valImages(Path data) throws IOException {
        try (Stream<Path> s = Files.walk(data.resolve("leftImg8bit").resolve("val"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
