package org.eseg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.eseg.eval.SegmentationMetrics;
import org.eseg.train.TrainingListener;

/** Draws a training run as a progress bar (step, loss, LR, images/s, ETA) on stderr. */
final class ProgressListener implements TrainingListener, AutoCloseable {

    private final String task;
    private final PrintWriter err;
    private ProgressBars.Bar bar;
    private String validation = "";

    ProgressListener(String task, PrintWriter err) {
        this.task = task;
        this.err = err;
    }

    @Override
    public void started(long startStep, long totalSteps) {
        // One listener may follow several runs (eseg ablation): a new run has no validation yet.
        close();
        validation = "";
        bar = ProgressBars.start(task, startStep, totalSteps, err);
    }

    @Override
    public void stepped(long step, double loss, double lr, double imagesPerSecond) {
        if (bar != null) {
            bar.stepTo(step);
            bar.message(String.format(Locale.ROOT, " loss %.3f lr %.4f %.1f img/s%s",
                    loss, lr, imagesPerSecond, validation));
        }
    }

    @Override
    public void validated(long step, SegmentationMetrics metrics) {
        validation = String.format(Locale.ROOT, " val mIoU %.3f", metrics.meanIou());
    }

    @Override
    public void message(String message) {
        if (bar != null) {
            bar.raw().pause();
        }
        err.println(message);
        err.flush();
        if (bar != null) {
            bar.raw().resume();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
