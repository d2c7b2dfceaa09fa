package org.eseg.spark;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Prints the progress of a job on the console: images done of the total, tasks done and images per second. A
 * task's images count once, when its first attempt succeeds (retried and speculative attempts add nothing).
 */
final class ProgressListener extends SparkListener {

    private final String what;
    private final List<Integer> imagesPerTask;
    private final int total;
    private final PrintWriter err;
    private final Set<Integer> done = new HashSet<>();
    private final long start = System.nanoTime();
    private int images;
    private volatile boolean active = true;

    /**
     * A listener for one job whose task {@code i} has {@code imagesPerTask.get(i)} images.
     *
     * @param what the command, for the messages
     * @param imagesPerTask images of each task
     * @param err where to print
     */
    ProgressListener(String what, List<Integer> imagesPerTask, PrintWriter err) {
        this.what = what;
        this.imagesPerTask = List.copyOf(imagesPerTask);
        this.total = imagesPerTask.stream().mapToInt(Integer::intValue).sum();
        this.err = err;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        int index = end.taskInfo().index();
        if (!active || !end.taskInfo().successful() || index >= imagesPerTask.size() || !done.add(index)) {
            return;
        }
        images += imagesPerTask.get(index);
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "eseg spark %s: %d/%d images, %d/%d tasks, %.2f images/s%n", what, images, total,
                done.size(), imagesPerTask.size(), images / Math.max(seconds, 1e-9));
        err.flush();
    }

    /**
     * The images counted so far.
     *
     * @return images of the tasks that succeeded
     */
    synchronized int images() {
        return images;
    }

    /** Stops counting (later jobs of the session, such as reading the manifest back, are not this job). */
    void stop() {
        active = false;
    }
}
