package org.eseg.infer.bench;

import java.util.Arrays;
import java.util.function.Supplier;
import org.eseg.infer.FloatTensor;
import org.eseg.infer.SegmentationRuntime;
import org.eseg.infer.ExportCheck;

/**
 * Times a {@link SegmentationRuntime}: builds it, runs warm-up passes, then timed passes on one random
 * batch, and records latency percentiles, throughput, achieved GMAC/s and resident memory.
 *
 * <p>Memory: all runtimes share one JVM, so the process's peak (VmHWM) is reset before each runtime is
 * built; {@code peakRssMb} is then the peak while that runtime was built and run (JVM, libraries and
 * anything still held included), and {@code rssIncreaseMb} what it added over the resident size
 * before it. Runtimes are closed before the next is measured.
 */
public final class Benchmark {

    private static final double MIB = 1024.0 * 1024.0;

    private Benchmark() {}

    /**
     * Measures one runtime.
     *
     * @param label runtime label for the report
     * @param modelName model name for the report
     * @param macsPerImage multiply-adds of one image at this size
     * @param factory builds the runtime (timed as setup)
     * @param options sizes and repetitions
     * @return the figures
     */
    public static BenchmarkResult run(String label, String modelName, long macsPerImage,
            Supplier<SegmentationRuntime> factory, BenchmarkOptions options) {
        FloatTensor batch = ExportCheck.randomImages(options.batch(), options.input(), 1);
        System.gc();
        ProcessMemory.resetPeak();
        long rssBefore = ProcessMemory.currentBytes();
        long t0 = System.nanoTime();
        double[] ms = new double[options.iterations()];
        double setupMs;
        try (SegmentationRuntime runtime = factory.get()) {
            setupMs = (System.nanoTime() - t0) / 1e6;
            for (int i = 0; i < options.warmup(); i++) {
                runtime.logits(batch);
            }
            for (int i = 0; i < ms.length; i++) {
                long s = System.nanoTime();
                runtime.logits(batch);
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
        }
        long peak = ProcessMemory.peakBytes();
        double mean = Arrays.stream(ms).average().orElse(Double.NaN);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double imagesPerSecond = options.batch() * 1000.0 / mean;
        return new BenchmarkResult(label, modelName, options.input().toString(), options.batch(), options.threads(),
                options.iterations(), mean, percentile(sorted, 0.5), percentile(sorted, 0.9), imagesPerSecond,
                macsPerImage * imagesPerSecond / 1e9, setupMs,
                peak < 0 ? -1 : peak / MIB, rssBefore < 0 ? -1 : rssBefore / MIB,
                peak < 0 || rssBefore < 0 ? -1 : (peak - rssBefore) / MIB);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
