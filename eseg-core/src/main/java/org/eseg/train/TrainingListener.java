package org.eseg.train;

import org.eseg.eval.SegmentationMetrics;

/** What a training run reports as it goes; the CLI draws a progress bar from it. All methods optional. */
public interface TrainingListener {

    /** Reports nothing. */
    TrainingListener NONE = new TrainingListener() {};

    /**
     * The run is about to take its first step.
     *
     * @param startStep steps already done (non-zero on resume)
     * @param totalSteps the step the run ends at
     */
    default void started(long startStep, long totalSteps) {}

    /**
     * A step finished.
     *
     * @param step steps done
     * @param loss this step's loss
     * @param lr the learning rate used
     * @param imagesPerSecond training throughput since the last report
     */
    default void stepped(long step, double loss, double lr, double imagesPerSecond) {}

    /**
     * A validation finished.
     *
     * @param step steps done
     * @param metrics the validation metrics (EMA weights when the run keeps an EMA)
     */
    default void validated(long step, SegmentationMetrics metrics) {}

    /**
     * A free-form message (checkpoint written, stop requested, ...).
     *
     * @param message the text
     */
    default void message(String message) {}

    /** The run ended (normally or not). */
    default void finished() {}
}
