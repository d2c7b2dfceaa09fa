package org.eseg.train;

import java.io.IOException;
import java.nio.file.Path;
import org.eseg.eval.SegmentationMetrics;

/**
 * Something the training loop tells about its progress: the metrics log, the curves, the listener. The loop only
 * trains, validates and checkpoints; what is recorded about it lives in hooks. All methods optional.
 */
public interface TrainingHook {

    /**
     * A logged step ({@code logEvery}, and the last step).
     *
     * @param step what the step did
     * @throws IOException if the hook cannot write
     */
    default void onStep(LoggedStep step) throws IOException {}

    /**
     * A validation finished.
     *
     * @param step steps done
     * @param metrics the validation metrics (EMA weights when the run keeps an EMA)
     * @throws IOException if the hook cannot write
     */
    default void onValidation(long step, SegmentationMetrics metrics) throws IOException {}

    /**
     * A checkpoint was written.
     *
     * @param step steps done
     * @param file the checkpoint
     * @throws IOException if the hook cannot write
     */
    default void onCheckpoint(long step, Path file) throws IOException {}

    /**
     * The run ended normally, stopped or hit its time limit, after its last checkpoint.
     *
     * @param step steps done
     * @throws IOException if the hook cannot write
     */
    default void onEnd(long step) throws IOException {}

    /**
     * One logged training step.
     *
     * @param step steps done
     * @param loss this step's loss
     * @param lr the learning rate used
     * @param imagesPerSecond training throughput since the last logged step
     */
    record LoggedStep(long step, double loss, double lr, double imagesPerSecond) {}
}
