package org.eseg.train;

import java.nio.file.Path;
import org.eseg.eval.SegmentationMetrics;

/** Passes the loop's progress on to the run's {@link TrainingListener} (the CLI's progress bar). */
final class ListenerHook implements TrainingHook {

    private final TrainingListener listener;

    ListenerHook(TrainingListener listener) {
        this.listener = listener;
    }

    @Override
    public void onStep(LoggedStep s) {
        listener.stepped(s.step(), s.loss(), s.lr(), s.imagesPerSecond());
    }

    @Override
    public void onValidation(long step, SegmentationMetrics metrics) {
        listener.validated(step, metrics);
    }

    @Override
    public void onCheckpoint(long step, Path file) {
        listener.message("checkpoint: " + file + " (step " + step + ")");
    }
}
