package org.eseg.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;
import org.eseg.util.ResourceUsage;

/**
 * The server's counters, written in the Prometheus text format: requests by status, a latency histogram,
 * the queue's depth, images per second over the last few seconds and the process's resident memory.
 */
final class Metrics {

    /** Upper bounds of the latency buckets, in seconds. */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** The window images per second are counted over. */
    private static final int RATE_SECONDS = 10;

    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumNanos = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    /** Images finished in each of the last seconds, indexed by epoch second modulo the window. */
    private final long[] perSecond = new long[RATE_SECONDS];
    private final long[] secondOf = new long[RATE_SECONDS];
    private final IntSupplier queueDepth;
    private final IntSupplier inFlight;

    Metrics(IntSupplier queueDepth, IntSupplier inFlight) {
        this.queueDepth = queueDepth;
        this.inFlight = inFlight;
    }

    /** Counts an answered request. */
    void request(int status, long nanos) {
        byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                buckets.incrementAndGet(i);
                break;
            }
        }
        count.incrementAndGet();
        sumNanos.addAndGet(nanos);
    }

    /** Counts a segmented image. */
    synchronized void image() {
        images.incrementAndGet();
        long s = System.currentTimeMillis() / 1000;
        int i = (int) (s % RATE_SECONDS);
        if (secondOf[i] != s) {
            secondOf[i] = s;
            perSecond[i] = 0;
        }
        perSecond[i]++;
    }

    /** Images per second over the last full seconds of the window. */
    synchronized double imagesPerSecond() {
        long now = System.currentTimeMillis() / 1000;
        long n = 0;
        for (int i = 0; i < RATE_SECONDS; i++) {
            if (secondOf[i] < now && secondOf[i] >= now - (RATE_SECONDS - 1)) {
                n += perSecond[i];
            }
        }
        return n / (double) (RATE_SECONDS - 1);
    }

    /** The Prometheus text exposition. */
    String text() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP eseg_requests_total Requests answered, by HTTP status.\n");
        b.append("# TYPE eseg_requests_total counter\n");
        for (Map.Entry<Integer, AtomicLong> e : new TreeMap<>(byStatus).entrySet()) {
            b.append("eseg_requests_total{code=\"").append(e.getKey()).append("\"} ").append(e.getValue().get())
                    .append('\n');
        }
        b.append("# HELP eseg_request_duration_seconds Time from a request's arrival to its answer.\n");
        b.append("# TYPE eseg_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += buckets.get(i);
            b.append(String.format(Locale.ROOT, "eseg_request_duration_seconds_bucket{le=\"%s\"} %d%n",
                    trim(BUCKETS[i]), cumulative));
        }
        long total = count.get();
        b.append("eseg_request_duration_seconds_bucket{le=\"+Inf\"} ").append(total).append('\n');
        b.append(String.format(Locale.ROOT, "eseg_request_duration_seconds_sum %.6f%n", sumNanos.get() / 1e9));
        b.append("eseg_request_duration_seconds_count ").append(total).append('\n');
        gauge(b, "eseg_queue_depth", "Requests waiting for a worker.", queueDepth.getAsInt());
        gauge(b, "eseg_requests_in_flight", "Requests accepted and not yet answered.", inFlight.getAsInt());
        b.append("# HELP eseg_images_total Images segmented.\n# TYPE eseg_images_total counter\n");
        b.append("eseg_images_total ").append(images.get()).append('\n');
        b.append("# HELP eseg_images_per_second Images segmented per second over the last ")
                .append(RATE_SECONDS - 1).append(" seconds.\n# TYPE eseg_images_per_second gauge\n");
        b.append(String.format(Locale.ROOT, "eseg_images_per_second %.3f%n", imagesPerSecond()));
        gauge(b, "process_resident_memory_bytes", "Resident memory of the server process.",
                ResourceUsage.residentBytes());
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
