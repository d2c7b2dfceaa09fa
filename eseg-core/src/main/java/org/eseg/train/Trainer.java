package org.eseg.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eseg.data.loader.LoaderState;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.train.checkpoint.TrainState;

/**
 * A training run with the paper's recipe: SGD with momentum and cosine decay, weight decay, OHEM (or
 * plain) cross-entropy, EMA of the weights, drop-path, flip/scale/crop. It writes into the run folder:
 * {@code train-options.json}, {@code latest.eseg} (atomic checkpoints), {@code metrics.jsonl} and
 * {@code curves.png}.
 *
 * <p>The trainer checks the settings ({@link StartChecks}), holds the run folder ({@link RunFolder}) and stops
 * cleanly on Ctrl-C; {@link TrainingComponents} builds what is trained, {@link TrainingLoop} takes the steps and
 * {@link TrainingHook}s record them.
 *
 * <p>Exact resume: the loader position, the step (which seeds drop-path), the raw weights, the momentum
 * buffers and the EMA are all in the checkpoint, so N steps + resume + N steps equals 2N steps.
 */
public final class Trainer {

    private final RunFolder.Mode mode;
    private final TrainingListener listener;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final List<TrainingHook> hooks = new ArrayList<>();
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
     * Adds a hook told about the run's logged steps, validations, checkpoints and end, after the run's own
     * (metrics log, curves, listener).
     *
     * @param hook the hook
     * @return this trainer
     */
    public Trainer addHook(TrainingHook hook) {
        hooks.add(hook);
        return this;
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
            List<Device> devices = StartChecks.check(options, mode == RunFolder.Mode.RESUME);
            Runtime.getRuntime().addShutdownHook(hook);
            try (RunFolder folder = RunFolder.open(runDir, mode, listener)) {
                try {
                    Checkpoint resumeFrom = null;
                    if (mode == RunFolder.Mode.RESUME) {
                        // Read under the lock: a run that was still going may have written a newer one.
                        resumeFrom = Checkpoint.read(resumeFile);
                        TrainOptions saved = TrainOptions.fromJson(resumeFrom.state().options());
                        options = saved.resumedIn(runDir, resumeFrom.state().step(), overrides);
                        devices = StartChecks.check(options, true);
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

    private TrainingResult train(Path runDir, Checkpoint resumeFrom, List<Device> devices) throws IOException {
        Engine.getInstance().setRandomSeed((int) options.seed());
        LoaderState start = resumeFrom == null ? LoaderState.START : resumeFrom.state().loader();
        // Data checks that read the dataset belong here, before the first step.
        try (TrainingData data = TrainingData.open(options, start);
                NDManager manager = NDManager.newBaseManager(devices.get(0));
                TrainingComponents parts = TrainingComponents.build(options, data, resumeFrom, manager, listener)) {
            MetricsLog log = new MetricsLog(runDir.resolve(RunFolder.METRICS));
            List<TrainingHook> all = new ArrayList<>(List.of(
                    new MetricsHook(log, data, options.skipBad(), listener),
                    new CurvesHook(log, runDir.resolve(RunFolder.CURVES)),
                    new ListenerHook(listener)));
            all.addAll(hooks);
            try (TrainingLoop loop = new TrainingLoop(options, runDir, data, manager, devices, resumeFrom, parts, log,
                    all, listener, stopRequested::get)) {
                return loop.run();
            }
        }
    }
}
