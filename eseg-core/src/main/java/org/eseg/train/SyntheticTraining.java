package org.eseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import org.eseg.data.loader.Batch;
import org.eseg.data.loader.LoaderState;
import org.eseg.model.EsegModel;
import org.eseg.util.LibtorchThreads;

/**
 * A run's training steps on one fixed random batch, with no dataset, loader, validation or checkpoints: the model,
 * loss, optimiser, weight average and schedule are built from the options exactly as {@code eseg train} builds them
 * ({@link TrainingComponents}) and each step goes through the loop's own code ({@link TrainingStep}). For timing
 * the training path; the data loader's cost is left out on purpose (it runs in worker threads during a run).
 */
public final class SyntheticTraining implements AutoCloseable {

    private final TrainOptions options;
    private final NDManager manager;
    private final TrainingComponents parts;
    private final ParameterStore ps;
    private final Batch batch;
    private final TrainingPath path;
    private final StepPhases phases = new StepPhases();
    private final long[] nanos = new long[4];
    private long step;

    private SyntheticTraining(TrainOptions options, NDManager manager, TrainingComponents parts, Batch batch,
            TrainingPath path) {
        this.options = options;
        this.manager = manager;
        this.parts = parts;
        this.ps = new ParameterStore(manager, false);
        this.batch = batch;
        this.path = path;
    }

    /**
     * Builds the model and everything it trains with, and one random batch (normal pixels, uniform labels).
     *
     * @param options the run's settings (model, crop, batch, loss, optimiser, EMA, seed, threads); the dataset
     *     and run folder are not used
     * @param classes the classes the model predicts
     * @param path how the steps compute
     * @return the steps, ready to take
     */
    public static SyntheticTraining open(TrainOptions options, int classes, TrainingPath path) {
        if (classes < 2 || classes > 255) {
            throw new IllegalArgumentException("classes must be in [2, 255], got " + classes);
        }
        LibtorchThreads.set(options.threads());
        Engine.getInstance().setRandomSeed((int) options.seed());
        NDManager manager = NDManager.newBaseManager();
        try {
            TrainingComponents parts = TrainingComponents.build(options, classes, 1, null, manager,
                    TrainingListener.NONE);
            return new SyntheticTraining(options, manager, parts, randomBatch(options, classes), path);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private static Batch randomBatch(TrainOptions o, int classes) {
        Random random = new Random(o.seed());
        int pixels = o.batch() * o.cropHeight() * o.cropWidth();
        float[] images = new float[3 * pixels];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        byte[] labels = new byte[pixels];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) random.nextInt(classes);
        }
        return new Batch(o.batch(), o.cropHeight(), o.cropWidth(), images, labels, List.of(), 0, LoaderState.START);
    }

    /**
     * One optimiser step on the batch, timed by phase ({@link #phases()}).
     *
     * @return the loss before the step
     */
    public float step() {
        float loss = forwardBackward();
        TrainingStep.optimize(parts, parts.schedule().lr(step), nanos);
        TrainingStep.average(parts, nanos);
        phases.add(nanos[0], nanos[1], nanos[2], nanos[3]);
        step++;
        return loss;
    }

    /** The step's forward and backward passes only: the gradients stay on the parameters. */
    float forwardBackward() {
        // As the loop does: the batch's arrays (and so every map computed from them) belong to the step.
        try (NDManager sm = manager.newSubManager()) {
            return TrainingStep.forwardBackward(parts, ps, images(sm), labels(sm), params(), nanos);
        }
    }

    /** @return the batch's images as the steps feed them to the model, owned by {@code m} */
    NDArray images(NDManager m) {
        return path.input(batch.imagesArray(m));
    }

    /** @return the batch's labels, owned by {@code m} */
    NDArray labels(NDManager m) {
        return batch.labelsArray(m);
    }

    /** @return the forward parameters of the next step (its drop-path seed) */
    PairList<String, Object> params() {
        return TrainingStep.params(options.seed(), step);
    }

    /** @return the model, loss and optimiser the steps use */
    TrainingComponents parts() {
        return parts;
    }

    /** @return the parameter store the steps use */
    ParameterStore parameterStore() {
        return ps;
    }

    /** @return the model the steps train */
    EsegModel model() {
        return parts.model();
    }

    /** @return the time of each phase, averaged over the steps taken since the last reset */
    public StepPhases phases() {
        return phases;
    }

    @Override
    public void close() {
        try {
            parts.close();
        } finally {
            manager.close();
        }
    }
}
