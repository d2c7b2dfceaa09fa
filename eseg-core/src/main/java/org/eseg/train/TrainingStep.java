package org.eseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.model.layers.DropPath;
import org.eseg.train.loss.ForwardLoss;

/**
 * One optimiser step on one device, as {@code eseg train} takes it: forward pass and loss, backward pass, SGD update,
 * zeroed gradients, weight average. The training loop and the training benchmark both go through here, so that
 * the benchmark times exactly what a run does.
 */
final class TrainingStep {

    private TrainingStep() {}

    /**
     * The drop-path seed of a step: a function of the run's seed and the step, so that a resumed run draws the
     * same masks.
     */
    static PairList<String, Object> params(long seed, long step) {
        PairList<String, Object> params = new PairList<>();
        params.add(DropPath.SEED_KEY, seed * 1_000_003L + step);
        return params;
    }

    /**
     * Forward pass, loss and (when the loss is finite) backward pass; the gradients are left on the parameters.
     * The phases' nanoseconds go into {@code nanos}: [0] forward with the loss, [1] backward (then, from
     * {@link #optimize} and {@link #average}, [2] optimiser, [3] weight average).
     *
     * @return the loss
     */
    static float forwardBackward(TrainingComponents parts, ParameterStore ps, NDArray images, NDArray labels,
            PairList<String, Object> params, long[] nanos) {
        long t0 = System.nanoTime();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = ForwardLoss.compute(parts.model(), parts.loss(), ps, images, labels, params);
            float value = l.getFloat();
            long t1 = System.nanoTime();
            nanos[0] = t1 - t0;
            if (Float.isFinite(value)) {
                gc.backward(l);
            }
            l.close();
            nanos[1] = System.nanoTime() - t1;
            return value;
        }
    }

    /** The SGD update at a learning rate, then zeroed gradients. */
    static void optimize(TrainingComponents parts, double lr, long[] nanos) {
        long t0 = System.nanoTime();
        parts.sgd().step(lr);
        parts.sgd().zeroGradients();
        nanos[2] = System.nanoTime() - t0;
    }

    /** Moves the weight average (if the run keeps one) towards the new weights. */
    static void average(TrainingComponents parts, long[] nanos) {
        long t0 = System.nanoTime();
        parts.updateAverage();
        nanos[3] = System.nanoTime() - t0;
    }
}
