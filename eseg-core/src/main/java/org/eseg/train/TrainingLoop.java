package org.eseg.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eseg.data.loader.Batch;
import org.eseg.eval.ConfusionMatrix;
import org.eseg.eval.Evaluator;
import org.eseg.eval.SegmentationMetrics;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.train.checkpoint.TrainState;
import org.eseg.train.parallel.DataParallel;
import org.eseg.util.AtomicFiles;

/**
 * One run's steps: train, validate every {@code evalEvery} steps, checkpoint every {@code checkpointEvery} steps
 * and at the end, telling the hooks about each. It stops at the last step, at the time limit, or when asked (then
 * it checkpoints at once), and throws {@link TrainingDivergedException} without saving when the loss is not
 * finite.
 */
final class TrainingLoop implements AutoCloseable {

    private final TrainOptions options;
    private final Path runDir;
    private final TrainingData data;
    private final NDManager manager;
    private final TrainingComponents parts;
    private final List<TrainingHook> hooks;
    private final TrainingListener listener;
    private final BooleanSupplier stopRequested;
    /** Replicas on the devices after the first, or null on one device. */
    private final DataParallel parallel;
    private long step;
    private double lastLoss = Double.NaN;
    private double bestMiou = Double.NaN;
    private SegmentationMetrics lastValidation;
    private ConfusionMatrix lastConfusion;
    private Path lastCheckpoint;
    private long lastSavedStep;

    /**
     * Prepares the run in its (locked) folder: restores a resumed run's state, drops log lines past its step,
     * writes the options, and replicates the model onto the other devices.
     *
     * @param hooks told about steps, validations, checkpoints and the end, in this order
     */
    TrainingLoop(TrainOptions options, Path runDir, TrainingData data, NDManager manager, List<Device> devices,
            Checkpoint resumeFrom, TrainingComponents parts, MetricsLog log, List<TrainingHook> hooks,
            TrainingListener listener, BooleanSupplier stopRequested) throws IOException {
        this.options = options;
        this.runDir = runDir;
        this.data = data;
        this.manager = manager;
        this.parts = parts;
        this.hooks = hooks;
        this.listener = listener;
        this.stopRequested = stopRequested;
        if (resumeFrom != null) {
            parts.restore(resumeFrom, manager, "checkpoint " + runDir);
            step = resumeFrom.state().step();
            lastLoss = resumeFrom.state().lastLoss();
            bestMiou = resumeFrom.state().bestMiou();
            lastCheckpoint = runDir.resolve(Checkpoint.LATEST);
            lastSavedStep = step;
            log.truncateAfter(step);
        }
        AtomicFiles.writeString(runDir.resolve(RunFolder.OPTIONS), options.toJson());
        if (devices.size() > 1) {
            // After any restore or initialisation: the replicas start from the master's weights.
            parallel = DataParallel.create(parts.model(), devices, parts.initShape());
            listener.message("data-parallel over " + devices.size() + " devices: " + devices);
        } else {
            parallel = null;
        }
    }

    /**
     * Runs to the end, the time limit or a stop request.
     *
     * @return how it ended
     * @throws IOException if a checkpoint or log cannot be written
     */
    TrainingResult run() throws IOException {
        long totalSteps = parts.totalSteps();
        listener.started(step, totalSteps);
        ParameterStore ps = new ParameterStore(manager, false);
        long imagesSinceReport = 0;
        long reportStart = System.nanoTime();
        boolean interrupted = false;
        long[] nanos = new long[4];
        long deadline = options.timeLimitSeconds() > 0
                ? System.nanoTime() + options.timeLimitSeconds() * 1_000_000_000L : Long.MAX_VALUE;
        while (step < totalSteps) {
            if (System.nanoTime() > deadline) {
                listener.message("time limit of " + options.timeLimitSeconds() + " s reached at step " + step);
                break;
            }
            if (stopRequested.getAsBoolean()) {
                interrupted = true;
                listener.message("stop requested: writing a checkpoint at step " + step);
                break;
            }
            Batch batch = data.loader().next();
            double lr = parts.schedule().lr(step);
            float value = trainStep(batch, ps, nanos);
            if (!Float.isFinite(value)) {
                throw new TrainingDivergedException("the loss became " + value + " at step " + (step + 1)
                        + "; stopped without saving this state. The last good checkpoint is "
                        + (lastCheckpoint != null ? lastCheckpoint + " (step " + lastSavedStep + ")" : "none")
                        + ". Try a lower learning rate or gradient clipping.");
            }
            TrainingStep.optimize(parts, lr, nanos);
            if (parallel != null) {
                parallel.broadcast();
            }
            TrainingStep.average(parts, nanos);
            step++;
            lastLoss = value;
            imagesSinceReport += batch.size();
            if (step % options.logEvery() == 0 || step == totalSteps) {
                double seconds = (System.nanoTime() - reportStart) / 1e9;
                TrainingHook.LoggedStep logged = new TrainingHook.LoggedStep(step, value, lr,
                        imagesSinceReport / Math.max(seconds, 1e-9));
                for (TrainingHook h : hooks) {
                    h.onStep(logged);
                }
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
        for (TrainingHook h : hooks) {
            h.onEnd(step);
        }
        return new TrainingResult(runDir, lastCheckpoint, step, lastLoss, lastValidation, lastConfusion, interrupted);
    }

    private float trainStep(Batch batch, ParameterStore ps, long[] nanos) {
        try (NDManager sm = manager.newSubManager()) {
            NDArray x = batch.imagesArray(sm);
            NDArray y = batch.labelsArray(sm);
            PairList<String, Object> params = TrainingStep.params(options.seed(), step);
            if (parallel != null) {
                return parallel.forwardBackward(x, y, parts.loss(), params);
            }
            return TrainingStep.forwardBackward(parts, ps, x, y, params, nanos);
        }
    }

    private void validate() throws IOException {
        if (data.validation() == null) {
            return;
        }
        ConfusionMatrix cm = Evaluator.evaluate(parts.evaluationModel(), data.validation(), options.evalLimit(),
                manager, null);
        SegmentationMetrics m = cm.metrics();
        lastValidation = m;
        lastConfusion = cm;
        if (Double.isNaN(bestMiou) || m.meanIou() > bestMiou) {
            bestMiou = m.meanIou();
        }
        for (TrainingHook h : hooks) {
            h.onValidation(step, m);
        }
    }

    private void checkpoint() throws IOException {
        TrainState state = new TrainState(step, data.loader().state(), options.toJson(), lastLoss, bestMiou);
        Path file = runDir.resolve(Checkpoint.LATEST);
        parts.checkpoint(data.train().classes(), state, manager).write(file);
        lastCheckpoint = file;
        lastSavedStep = step;
        for (TrainingHook h : hooks) {
            h.onCheckpoint(step, file);
        }
    }

    @Override
    public void close() {
        if (parallel != null) {
            parallel.close();
        }
    }
}
