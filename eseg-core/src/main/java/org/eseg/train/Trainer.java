package org.eseg.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eseg.data.DataProblem;
import org.eseg.data.loader.Batch;
import org.eseg.data.loader.LoaderState;
import org.eseg.eval.ConfusionMatrix;
import org.eseg.eval.Evaluator;
import org.eseg.eval.SegmentationMetrics;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.DropPath;
import org.eseg.model.pretrained.BackboneWeights;
import org.eseg.model.pretrained.BackboneWeightsInfo;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.train.checkpoint.TrainState;
import org.eseg.train.loss.CrossEntropyLoss;
import org.eseg.train.loss.OhemCrossEntropyLoss;
import org.eseg.train.loss.SegmentationLoss;
import org.eseg.train.optim.Sgd;
import org.eseg.train.parallel.DataParallel;
import org.eseg.train.schedule.CosineSchedule;
import org.eseg.util.AtomicFiles;
import org.eseg.util.LibtorchThreads;
import org.eseg.util.ResourceUsage;

/**
 * The training loop with the paper's recipe: SGD with momentum and cosine decay, weight decay, OHEM (or
 * plain) cross-entropy, EMA of the weights, drop-path, flip/scale/crop. It writes into the run folder:
 * {@code train-options.json}, {@code latest.eseg} (atomic checkpoints), {@code metrics.jsonl} and
 * {@code curves.png}.
 *
 * <p>Exact resume: the loader position, the step (which seeds drop-path), the raw weights, the momentum
 * buffers and the EMA are all in the checkpoint, so N steps + resume + N steps equals 2N steps.
 */
public final class Trainer {

    /** The first warm-up step's learning rate, as a fraction of the base rate. */
    private static final double WARMUP_START = 0.1;

    private final RunFolder.Mode mode;
    private final TrainingListener listener;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    /** The settings; a resumed run re-reads them from its checkpoint once it holds the folder's lock. */
    private TrainOptions options;
    /** A resumed run's new settings ({@link TrainOptions#RESUMABLE}); empty for a new run. */
    private final Map<String, ?> overrides;
    /** The checkpoint a resumed run continues from (null for a new run). */
    private final Path resumeFile;

    /**
     * Prepares a new run. Its folder must not hold a run already.
     *
     * @param options the settings
     * @param listener progress reports
     */
    public Trainer(TrainOptions options, TrainingListener listener) {
        this(options, RunFolder.Mode.NEW, null, Map.of(), listener);
    }

    private Trainer(TrainOptions options, RunFolder.Mode mode, Path resumeFile, Map<String, ?> overrides,
            TrainingListener listener) {
        this.options = options;
        this.mode = mode;
        this.resumeFile = resumeFile;
        this.overrides = overrides;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /**
     * Prepares a new run that replaces a run in its folder: the old run's own files (options, checkpoint,
     * metrics, curves) are deleted once the folder is locked; other files in the folder are kept.
     *
     * @param options the settings
     * @param listener progress reports
     * @return the trainer
     */
    public static Trainer overwriting(TrainOptions options, TrainingListener listener) {
        return new Trainer(options, RunFolder.Mode.OVERWRITE, null, Map.of(), listener);
    }

    /**
     * Prepares to continue a run from its latest checkpoint in the folder given, wherever the run was first
     * written (a moved or copied run folder continues where it is now).
     *
     * @param runDir the run folder, or a checkpoint file (the run continues in the folder holding it)
     * @param overrides new values of the settings a resumed run may change ({@link TrainOptions#RESUMABLE}),
     *     e.g. {@code steps}, the new total; null values mean "not given"
     * @param listener progress reports
     * @return the trainer
     * @throws IOException if the checkpoint cannot be read
     * @throws IllegalArgumentException if a setting cannot change, or the new total is below the run's step
     */
    public static Trainer resume(Path runDir, Map<String, ?> overrides, TrainingListener listener) throws IOException {
        Path dir = Files.isDirectory(runDir) ? runDir : runDir.toAbsolutePath().getParent();
        TrainState state = Checkpoint.readState(runDir);
        Map<String, ?> given = overrides == null ? Map.of() : overrides;
        TrainOptions o = TrainOptions.fromJson(state.options()).resumedIn(dir, state.step(), given);
        return new Trainer(o, RunFolder.Mode.RESUME, Checkpoint.resolve(runDir), given, listener);
    }

    /** Asks the loop to stop after the current step and write a checkpoint. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * The run's options.
     *
     * @return options
     */
    public TrainOptions options() {
        return options;
    }

    /**
     * Runs the loop to the end (or until stopped), writing checkpoints, logs and curves. The run folder is
     * locked for the whole run; a run that created its folder and fails before its first checkpoint removes it.
     *
     * @return how it ended
     * @throws IOException if the run folder cannot be written or is in use by another run
     * @throws IllegalArgumentException if the settings cannot work (checked before the run folder is made), or
     *     a new run's folder holds a run already
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public TrainingResult run() throws IOException {
        Path runDir = Path.of(options.out());
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: finish the step, write a checkpoint, release the run folder, then let the JVM exit.
        Thread hook = new Thread(() -> {
            requestStop();
            try {
                done.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "eseg-train-stop");
        try {
            List<Device> devices = checkBeforeStart();
            Runtime.getRuntime().addShutdownHook(hook);
            try (RunFolder folder = RunFolder.open(runDir, mode, listener)) {
                try {
                    Checkpoint resumeFrom = null;
                    if (mode == RunFolder.Mode.RESUME) {
                        // Read under the lock: a run that was still going may have written a newer one.
                        resumeFrom = Checkpoint.read(resumeFile);
                        TrainOptions saved = TrainOptions.fromJson(resumeFrom.state().options());
                        options = saved.resumedIn(runDir, resumeFrom.state().step(), overrides);
                        devices = checkBeforeStart();
                        if (!samePlace(Path.of(saved.out()), runDir)) {
                            listener.message("the run was moved or copied from " + saved.out() + "; continuing in "
                                    + runDir);
                        }
                    }
                    return train(runDir, resumeFrom, devices);
                } catch (IOException | RuntimeException | Error e) {
                    try {
                        folder.removeIfCreated();
                    } catch (IOException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
            }
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
            listener.finished();
        }
    }

    private static boolean samePlace(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Everything that can be checked without writing, so that a mistake leaves no run folder behind.
     *
     * @return the devices to train on
     */
    private List<Device> checkBeforeStart() throws IOException {
        if (!Files.isDirectory(Path.of(options.data()))) {
            throw new IllegalArgumentException("--data " + options.data() + " is not a folder");
        }
        LibtorchThreads.set(options.threads());
        List<Device> devices = options.devices() != null
                ? DataParallel.checkVisible(options.deviceList()) : DataParallel.visibleDevices();
        EsegConfig variant = EsegVariants.byName(options.model());
        if (mode != RunFolder.Mode.RESUME && options.backboneWeights() != null) {
            checkBackboneWeights(variant, Path.of(options.backboneWeights()));
        }
        checkBatchNormStatistics(variant, devices.size());
        return devices;
    }

    /** Imported weights fit one backbone; a model with another one would silently become a different model. */
    private void checkBackboneWeights(EsegConfig variant, Path file) throws IOException {
        BackboneWeightsInfo info = BackboneWeights.readInfo(file);
        String wanted = variant.backbone().name();
        if (!info.backbone().equals(wanted)) {
            List<String> fitting = EsegVariants.names().stream()
                    .filter(n -> EsegVariants.byName(n).backbone().name().equals(info.backbone())).toList();
            throw new IllegalArgumentException(file + " holds " + info.backbone() + " weights, but model "
                    + options.model() + " has the backbone " + wanted + "; "
                    + (fitting.isEmpty() ? "no ESeg model uses " + info.backbone()
                            : "models with that backbone: " + String.join(", ", fitting))
                    + " (import weights for " + wanted + " to train " + options.model() + ")");
        }
    }

    /**
     * BatchNorm in training mode needs more than one value per channel, and the coarsest level (P9, 1/512 of the
     * crop) has the fewest: per device, images × ceil(H/512) × ceil(W/512). libtorch would fail on one value only at
     * the first step, with a message that names neither the batch nor the crop.
     */
    private void checkBatchNormStatistics(EsegConfig variant, int deviceCount) {
        long cells = coarsestCells(variant);
        long perDevice = options.batch() / deviceCount;
        if (perDevice * cells < 2) {
            long needed = ceilDiv(2, cells) * deviceCount;
            throw new IllegalArgumentException("--batch " + options.batch() + " is too small: with "
                    + (deviceCount > 1 ? perDevice + " image(s) per device on " + deviceCount + " devices" : "1 image")
                    + " and crop " + options.cropHeight() + "x" + options.cropWidth() + ", BatchNorm at "
                    + coarsestLevel(variant) + " sees one value per channel, and training needs more; use --batch "
                    + needed + " or more" + (cells == 1 ? " (or a crop above 512 on a side)" : ""));
        }
    }

    private long coarsestCells(EsegConfig variant) {
        long side = 1L << variant.maxLevel();
        return ceilDiv(options.cropHeight(), side) * ceilDiv(options.cropWidth(), side);
    }

    private String coarsestLevel(EsegConfig variant) {
        long side = 1L << variant.maxLevel();
        return "level P" + variant.maxLevel() + " (" + ceilDiv(options.cropHeight(), side) + "x"
                + ceilDiv(options.cropWidth(), side) + ")";
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private TrainingResult train(Path runDir, Checkpoint resumeFrom, List<Device> devices) throws IOException {
        Engine.getInstance().setRandomSeed((int) options.seed());
        LoaderState start = resumeFrom == null ? LoaderState.START : resumeFrom.state().loader();
        // Data checks that read the dataset belong here, before the first step.
        try (TrainingData data = TrainingData.open(options, start);
                NDManager manager = NDManager.newBaseManager(devices.get(0))) {
            return new Loop(runDir, data, manager, devices, resumeFrom).run();
        }
    }

    private EsegConfig modelConfig(TrainingData data, Checkpoint resumeFrom) throws IOException {
        if (resumeFrom != null) {
            return resumeFrom.config();
        }
        EsegConfig c = EsegVariants.byName(options.model()).withClasses(data.train().classes().size());
        if (options.backboneWeights() != null) {
            // The encoder must match the imported weights (checked up front), BatchNorm eps included
            // (torchvision: 1e-5).
            c = c.withBatchNorm(BackboneWeights.readInfo(Path.of(options.backboneWeights())).batchNorm());
        }
        if (options.dropPath() != null) {
            c = c.withBackbone(c.backbone().withDropPath(options.dropPath()));
        }
        if (options.bnMomentum() != null) {
            c = c.withBatchNorm(new BatchNormSpec(c.batchNorm().eps(), options.bnMomentum()));
        }
        return c;
    }

    /** One run's mutable state. */
    private final class Loop {
        private final Path runDir;
        private final TrainingData data;
        private final NDManager manager;
        private final EsegModel model;
        private final EsegModel evalModel;
        private final Sgd sgd;
        private final Ema ema;
        private final SegmentationLoss loss;
        private final CosineSchedule schedule;
        private final MetricsLog log;
        private final long totalSteps;
        private long step;
        private double lastLoss = Double.NaN;
        private double bestMiou = Double.NaN;
        private SegmentationMetrics lastValidation;
        private ConfusionMatrix lastConfusion;
        private Path lastCheckpoint;
        /** Replicas on the devices after the first, or null on one device. */
        private DataParallel parallel;

        Loop(Path runDir, TrainingData data, NDManager manager, List<Device> devices, Checkpoint resumeFrom)
                throws IOException {
            this.runDir = runDir;
            this.data = data;
            this.manager = manager;
            EsegConfig config = modelConfig(data, resumeFrom);
            Shape initShape = new Shape(1, 3, options.cropHeight(), options.cropWidth());
            model = EsegModel.create(config);
            model.initialize(manager, DataType.FLOAT32, initShape);
            if (resumeFrom == null && options.backboneWeights() != null) {
                BackboneWeights.loadInto(model, Path.of(options.backboneWeights()));
                listener.message("backbone initialised from " + options.backboneWeights());
            }
            if (resumeFrom == null && options.initFrom() != null) {
                Pretrained.initFrom(model, Path.of(options.initFrom()), manager, listener);
            }
            sgd = Sgd.builder()
                    .setParameters(model.getParameters())
                    .optMomentum(options.momentum())
                    .optWeightDecay(options.weightDecay())
                    .optExcludeNormAndBias(options.noDecayNormBias())
                    .optMaxGradNorm(options.gradClip())
                    .build();
            ema = options.emaDecay() > 0
                    ? Ema.builder().setParameters(model.getParameters()).setDecay(options.emaDecay()).optWarmup(true).build()
                    : null;
            evalModel = ema == null ? model : EsegModel.create(config);
            if (ema != null) {
                evalModel.initialize(manager, DataType.FLOAT32, initShape);
            }
            loss = options.ohem()
                    ? OhemCrossEntropyLoss.builder()
                            .setMinKept(options.effectiveOhemMinKept())
                            .optThreshold(options.ohemThreshold())
                            .optMinKeptPerImage(false)
                            .build()
                    : new CrossEntropyLoss();
            totalSteps = options.steps() > 0 ? options.steps() : (long) options.epochs() * data.loader().batchesPerEpoch();
            schedule = new CosineSchedule(options.lr(), totalSteps, Math.min(options.warmupSteps(), totalSteps), WARMUP_START);
            log = new MetricsLog(runDir.resolve(RunFolder.METRICS));
            if (resumeFrom != null) {
                restore(resumeFrom);
                log.truncateAfter(step);
            }
            AtomicFiles.writeString(runDir.resolve(RunFolder.OPTIONS), options.toJson());
            if (devices.size() > 1) {
                // After any restore or initialisation: the replicas start from the master's weights.
                parallel = DataParallel.create(model, devices, initShape);
                listener.message("data-parallel over " + devices.size() + " devices: " + devices);
            }
        }

        private void restore(Checkpoint c) throws IOException {
            ModelFile.loadInto(model, c.trainWeights(), manager, "checkpoint " + runDir);
            try (NDManager tmp = manager.newSubManager()) {
                sgd.importState(NDList.decode(tmp, c.optimizerState()));
                if (ema != null) {
                    ema.importState(NDList.decode(tmp, c.emaState()));
                }
            }
            step = c.state().step();
            lastLoss = c.state().lastLoss();
            bestMiou = c.state().bestMiou();
            lastCheckpoint = runDir.resolve(Checkpoint.LATEST);
            lastSavedStep = step;
        }

        TrainingResult run() throws IOException {
            try {
                return loop();
            } finally {
                if (parallel != null) {
                    parallel.close();
                }
                sgd.close();
                if (ema != null) {
                    ema.close();
                }
            }
        }

        private TrainingResult loop() throws IOException {
            listener.started(step, totalSteps);
            ParameterStore ps = new ParameterStore(manager, false);
            long imagesSinceReport = 0;
            long reportStart = System.nanoTime();
            boolean interrupted = false;
            long deadline = options.timeLimitSeconds() > 0
                    ? System.nanoTime() + options.timeLimitSeconds() * 1_000_000_000L : Long.MAX_VALUE;
            while (step < totalSteps) {
                if (System.nanoTime() > deadline) {
                    listener.message("time limit of " + options.timeLimitSeconds() + " s reached at step " + step);
                    break;
                }
                if (stopRequested.get()) {
                    interrupted = true;
                    listener.message("stop requested: writing a checkpoint at step " + step);
                    break;
                }
                Batch batch = data.loader().next();
                double lr = schedule.lr(step);
                float value = trainStep(batch, ps);
                if (!Float.isFinite(value)) {
                    throw new TrainingDivergedException("the loss became " + value + " at step " + (step + 1)
                            + "; stopped without saving this state. The last good checkpoint is "
                            + (lastCheckpoint != null ? lastCheckpoint + " (step " + lastSavedStep + ")" : "none")
                            + ". Try a lower --lr or --grad-clip.");
                }
                sgd.step(lr);
                sgd.zeroGradients();
                if (parallel != null) {
                    parallel.broadcast();
                }
                if (ema != null) {
                    ema.update();
                }
                step++;
                lastLoss = value;
                imagesSinceReport += batch.size();
                if (step % options.logEvery() == 0 || step == totalSteps) {
                    double seconds = (System.nanoTime() - reportStart) / 1e9;
                    double ips = imagesSinceReport / Math.max(seconds, 1e-9);
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("step", step);
                    line.put("loss", value);
                    line.put("lr", lr);
                    line.put("images_per_s", ips);
                    line.put("rss_mb", ResourceUsage.residentMegabytes());
                    line.put("heap_mb", ResourceUsage.heapCommittedMegabytes());
                    if (options.skipBad()) {
                        line.put("skipped", data.skipped().size());
                    }
                    log.append(line);
                    listener.stepped(step, value, lr, ips);
                    imagesSinceReport = 0;
                    reportStart = System.nanoTime();
                }
                if (options.evalEvery() > 0 && step % options.evalEvery() == 0 && step < totalSteps) {
                    validate();
                }
                if (options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0 && step < totalSteps) {
                    checkpoint();
                }
            }
            if (!interrupted && data.validation() != null) {
                validate();
            }
            checkpoint();
            if (options.skipBad()) {
                reportSkipped();
            }
            return new TrainingResult(runDir, lastCheckpoint, step, lastLoss, lastValidation, lastConfusion, interrupted);
        }

        private long lastSavedStep;

        /** With skipBad: logs what was left out (count and files) and says how many. */
        private void reportSkipped() {
            List<DataProblem> skipped = data.skipped();
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step);
            line.put("skipped", skipped.size());
            line.put("skipped_files", skipped.stream().map(DataProblem::toString).toList());
            log.append(line);
            listener.message("skipped " + skipped.size() + " bad image/mask pair" + (skipped.size() == 1 ? "" : "s")
                    + (skipped.isEmpty() ? "" : " (named in " + log.file() + ")"));
        }

        private float trainStep(Batch batch, ParameterStore ps) {
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = batch.imagesArray(sm);
                NDArray y = batch.labelsArray(sm);
                PairList<String, Object> params = new PairList<>();
                params.add(DropPath.SEED_KEY, options.seed() * 1_000_003L + step);
                if (parallel != null) {
                    return parallel.forwardBackward(x, y, loss, params);
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.forward(ps, new NDList(x), true, params).head();
                    NDArray l = loss.compute(logits, y);
                    float value = l.getFloat();
                    if (Float.isFinite(value)) {
                        gc.backward(l);
                    }
                    return value;
                }
            }
        }

        private void syncEvalModel() {
            if (ema != null) {
                ema.copyTo(evalModel);
            }
        }

        private void validate() throws IOException {
            if (data.validation() == null) {
                return;
            }
            syncEvalModel();
            ConfusionMatrix cm = Evaluator.evaluate(evalModel, data.validation(), options.evalLimit(), manager, null);
            SegmentationMetrics m = cm.metrics();
            lastValidation = m;
            lastConfusion = cm;
            if (Double.isNaN(bestMiou) || m.meanIou() > bestMiou) {
                bestMiou = m.meanIou();
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step);
            line.put("miou", m.meanIou());
            line.put("pixel_accuracy", m.pixelAccuracy());
            line.put("mean_class_accuracy", m.meanClassAccuracy());
            log.append(line);
            listener.validated(step, m);
            TrainingCurves.write(log.read(), runDir.resolve(RunFolder.CURVES));
        }

        private void checkpoint() throws IOException {
            syncEvalModel();
            byte[] emaState = new byte[0];
            byte[] optimizer;
            try (NDManager tmp = manager.newSubManager()) {
                optimizer = encode(sgd.exportState(tmp));
                if (ema != null) {
                    emaState = encode(ema.exportState(tmp));
                }
            }
            TrainState state = new TrainState(step, data.loader().state(), options.toJson(), lastLoss, bestMiou);
            Checkpoint c = new Checkpoint(model.config(), data.train().classes(), state,
                    ModelFile.encode(evalModel), ModelFile.encode(model), emaState, optimizer);
            Path file = runDir.resolve(Checkpoint.LATEST);
            c.write(file);
            lastCheckpoint = file;
            lastSavedStep = step;
            TrainingCurves.write(log.read(), runDir.resolve(RunFolder.CURVES));
            listener.message("checkpoint: " + file + " (step " + step + ")");
        }
    }

    private static byte[] encode(NDList list) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.encode(out);
        return out.toByteArray();
    }
}
