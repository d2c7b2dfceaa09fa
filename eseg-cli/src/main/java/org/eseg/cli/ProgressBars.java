package org.eseg.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr: redrawn in place on a terminal, a line every 15 s in a log. */
final class ProgressBars {

    private ProgressBars() {}

    /** A running bar. */
    static final class Bar implements AutoCloseable {
        private final ProgressBar bar;

        private Bar(ProgressBar bar) {
            this.bar = bar;
        }

        void stepTo(long n) {
            bar.stepTo(n);
        }

        void message(String extra) {
            bar.setExtraMessage(extra);
        }

        ProgressBar raw() {
            return bar;
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    static Bar start(String task, long total, PrintWriter err) {
        return start(task, 0, total, err);
    }

    static Bar start(String task, long from, long total, PrintWriter err) {
        boolean tty = System.console() != null;
        return new Bar(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .startsFrom(from, java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(tty ? 1000 : 15000)
                .setConsumer(consumer(tty, err))
                .build());
    }

    private static ProgressBarConsumer consumer(boolean tty, PrintWriter err) {
        if (tty) {
            return new ConsoleProgressBarConsumer(System.err, 120);
        }
        return new DelegatingProgressBarConsumer(line -> {
            err.println(line.strip());
            err.flush();
        }, 120);
    }
}
