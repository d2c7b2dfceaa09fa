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
import org.eseg.model.backbone.BackboneConfig;
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
import org.eseg.util.OutputFolders;
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

    private final TrainOptions options;
    private final Checkpoint resumeFrom;
    private final TrainingListener listener;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /**
     * Prepares a new run.
     *
     * @param options the settings
     * @param listener progress reports
     */
    public Trainer(TrainOptions options, TrainingListener listener) {
        this(options, null, listener);
    }

    private Trainer(TrainOptions options, Checkpoint resumeFrom, TrainingListener listener) {
        this.options = options;
        this.resumeFrom = resumeFrom;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /**
     * Prepares to continue a run from its latest checkpoint, optionally with a new total step count.
     *
     * @param runDir the run folder (or a checkpoint file inside it)
     * @param newSteps the new total, or null to keep the run's
     * @param listener progress reports
     * @return the trainer
     * @throws IOException if the checkpoint cannot be read
     */
    public static Trainer resume(Path runDir, Long newSteps, TrainingListener listener) throws IOException {
        Checkpoint c = Checkpoint.read(runDir);
        TrainOptions o = TrainOptions.fromJson(c.state().options());
        if (newSteps != null) {
            var tree = o.toTree();
            tree.put("steps", newSteps);
            tree.put("epochs", 0);
            o = TrainOptions.fromTree(tree);
        }
        return new Trainer(o, c, listener);
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
     * Runs the loop to the end (or until stopped), writing checkpoints, logs and curves.
     *
     * @return how it ended
     * @throws IOException if the run folder cannot be written
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public TrainingResult run() throws IOException {
        Path runDir = Path.of(options.out());
        if (!Files.isDirectory(Path.of(options.data()))) {
            // checked before the run folder is made, so that a typo leaves nothing behind
            throw new IllegalArgumentException("--data " + options.data() + " is not a folder");
        }
        if (options.threads() > 0) {
            // Read by DJL when the engine starts; a JVM that already started it keeps its thread count.
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        }
        // Before the run folder is made, for the same reason as the data check.
        List<Device> devices = options.devices() != null
                ? DataParallel.checkVisible(options.deviceList()) : DataParallel.visibleDevices();
        OutputFolders.checkWritable(runDir);
        Engine.getInstance().setRandomSeed((int) options.seed());
        LoaderState start = resumeFrom == null ? LoaderState.START : resumeFrom.state().loader();
        try (TrainingData data = TrainingData.open(options, start);
                NDManager manager = NDManager.newBaseManager(devices.get(0))) {
            return new Loop(runDir, data, manager, devices).run();
        } finally {
            listener.finished();
        }
    }

    private EsegConfig modelConfig(TrainingData data) throws IOException {
        if (resumeFrom != null) {
            return resumeFrom.config();
        }
        EsegConfig c = EsegVariants.byName(options.model()).withClasses(data.train().classes().size());
        if (options.backboneWeights() != null) {
            // The encoder must match the imported weights, BatchNorm eps included (torchvision: 1e-5).
            BackboneWeightsInfo info = BackboneWeights.readInfo(Path.of(options.backboneWeights()));
            if (!info.backbone().equals(c.backbone().name())) {
                c = c.withBackbone(BackboneConfig.byName(info.backbone()));
            }
            c = c.withBatchNorm(info.batchNorm());
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

        Loop(Path runDir, TrainingData data, NDManager manager, List<Device> devices) throws IOException {
            this.runDir = runDir;
            this.data = data;
            this.manager = manager;
            EsegConfig config = modelConfig(data);
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
            log = new MetricsLog(runDir.resolve("metrics.jsonl"));
            if (resumeFrom != null) {
                restore(resumeFrom);
                log.truncateAfter(step);
            } else {
                Files.deleteIfExists(log.file());
            }
            AtomicFiles.writeString(runDir.resolve("train-options.json"), options.toJson());
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
        }

        TrainingResult run() throws IOException {
            CountDownLatch done = new CountDownLatch(1);
            // Ctrl-C / SIGTERM: finish the step, write a checkpoint, then let the JVM exit.
            Thread hook = new Thread(() -> {
                requestStop();
                try {
                    done.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "eseg-train-stop");
            Runtime.getRuntime().addShutdownHook(hook);
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
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down
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
            TrainingCurves.write(log.read(), runDir.resolve("curves.png"));
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
            TrainingCurves.write(log.read(), runDir.resolve("curves.png"));
            listener.message("checkpoint: " + file + " (step " + step + ")");
        }
    }

    private static byte[] encode(NDList list) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.encode(out);
        return out.toByteArray();
    }
}
