package org.eseg.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr: redrawn in place on a terminal, a line every 15 s in a log. */
final class ProgressBars {

    private ProgressBars() {}

    /** Width of a drawn bar line. */
    private static final int WIDTH = 120;

    /** A running bar. */
    static final class Bar implements AutoCloseable {
        private final ProgressBar bar;

        private Bar(ProgressBar bar) {
            this.bar = bar;
        }

        void stepTo(long n) {
            bar.stepTo(n);
        }

        /**
         * Moves to {@code done} of a total learnt on the way.
         *
         * @param done units done
         * @param total units in all
         */
        void checked(long done, long total) {
            bar.maxHint(total);
            bar.stepTo(done);
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
        AtomicReference<ProgressBar> self = new AtomicReference<>();
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .startsFrom(from, java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(tty ? 1000 : 15000)
                .setConsumer(tty ? new ConsoleProgressBarConsumer(System.err, WIDTH) : new LogLines(err, self))
                .build();
        self.set(bar);
        return new Bar(bar);
    }

    /**
     * Bar lines for a log: a line only when the count moved since the last one. The library draws the final state
     * twice when a bar closes, and before the first step its ETA is unknown ("?"); neither is worth a line.
     */
    private static final class LogLines implements ProgressBarConsumer {
        private final PrintWriter err;
        private final AtomicReference<ProgressBar> bar;
        private long lastShown = Long.MIN_VALUE;

        LogLines(PrintWriter err, AtomicReference<ProgressBar> bar) {
            this.err = err;
            this.bar = bar;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public synchronized void accept(String line) {
            ProgressBar b = bar.get();
            if (b == null || b.getCurrent() == lastShown || b.getCurrent() == b.getStart()) {
                return;
            }
            lastShown = b.getCurrent();
            err.println(line.strip());
            err.flush();
        }

        @Override
        public void close() {
            // nothing to release: the writer belongs to the command
        }
    }
}
