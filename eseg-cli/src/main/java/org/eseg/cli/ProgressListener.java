package org.eseg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.eseg.eval.SegmentationMetrics;
import org.eseg.train.TrainingListener;

/** Draws a training run as a progress bar (step, loss, LR, images/s, ETA) on stderr. */
final class ProgressListener implements TrainingListener, AutoCloseable {

    private final String task;
    private final PrintWriter err;
    private ProgressBar bar;
    private String validation = "";

    ProgressListener(String task, PrintWriter err) {
        this.task = task;
        this.err = err;
    }

    @Override
    public void started(long startStep, long totalSteps) {
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalSteps)
                .startsFrom(startStep, java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(interactive() ? 1000 : 15000)
                .setConsumer(consumer())
                .build();
    }

    private static boolean interactive() {
        return System.console() != null;
    }

    /** A terminal gets a bar redrawn in place; a log file gets a line every 15 s. */
    private ProgressBarConsumer consumer() {
        if (interactive()) {
            return new ConsoleProgressBarConsumer(System.err, 120);
        }
        return new DelegatingProgressBarConsumer(line -> {
            err.println(line.strip());
            err.flush();
        }, 120);
    }

    @Override
    public void stepped(long step, double loss, double lr, double imagesPerSecond) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f lr %.4f %.1f img/s%s",
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
            bar.pause();
        }
        err.println(message);
        err.flush();
        if (bar != null) {
            bar.resume();
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
