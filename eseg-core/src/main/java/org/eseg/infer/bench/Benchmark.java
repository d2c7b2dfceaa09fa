package org.eseg.infer.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.eseg.infer.runtime.ExportCheck;
import org.eseg.infer.runtime.FloatTensor;
import org.eseg.infer.runtime.SegmentationRuntime;
import org.eseg.util.ResourceUsage;

/**
 * Times {@link SegmentationRuntime}s: builds each, runs warm-up passes, then timed passes on one random
 * batch, and records latency percentiles, throughput, achieved GMAC/s and resident memory.
 *
 * <p>Several runtimes are timed side by side: the timed passes go round-robin (one pass of each runtime in
 * turn), so that a machine whose speed drifts during the run (other tenants, thermal limits) affects every
 * runtime alike and their ratio stays meaningful.
 *
 * <p>Memory: all runtimes share one JVM. The process's peak (VmHWM) is reset before each runtime is built;
 * {@code peakRssMb} is the peak while that runtime was built and warmed up (the JVM, libraries and the
 * runtimes built before it included), and {@code rssIncreaseMb} what it added over the resident size
 * before it.
 */
public final class Benchmark {

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * One runtime to time.
     *
     * @param label runtime label for the report
     * @param modelName model name for the report
     * @param macsPerImage multiply-adds of one image at this size
     * @param factory builds the runtime (timed as setup)
     */
    public record Entry(String label, String modelName, long macsPerImage, Supplier<SegmentationRuntime> factory) {}

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
        return run(List.of(new Entry(label, modelName, macsPerImage, factory)), options).get(0);
    }

    /**
     * Measures runtimes side by side, their timed passes interleaved.
     *
     * @param entries the runtimes
     * @param options sizes and repetitions
     * @return the figures, in the entries' order
     */
    public static List<BenchmarkResult> run(List<Entry> entries, BenchmarkOptions options) {
        FloatTensor batch = ExportCheck.randomImages(options.batch(), options.input(), 1);
        int k = entries.size();
        List<SegmentationRuntime> runtimes = new ArrayList<>();
        double[] setupMs = new double[k];
        long[] peak = new long[k];
        long[] before = new long[k];
        double[][] ms = new double[k][options.iterations()];
        try {
            for (int r = 0; r < k; r++) {
                System.gc();
                ResourceUsage.resetPeak();
                before[r] = ResourceUsage.residentBytes();
                long t0 = System.nanoTime();
                SegmentationRuntime runtime = entries.get(r).factory().get();
                runtimes.add(runtime);
                setupMs[r] = (System.nanoTime() - t0) / 1e6;
                // At least one pass, so that the peak covers a whole forward.
                for (int i = 0; i < Math.max(1, options.warmup()); i++) {
                    runtime.logits(batch);
                }
                peak[r] = ResourceUsage.peakResidentBytes();
            }
            for (int i = 0; i < options.iterations(); i++) {
                for (int r = 0; r < k; r++) {
                    long s = System.nanoTime();
                    runtimes.get(r).logits(batch);
                    ms[r][i] = (System.nanoTime() - s) / 1e6;
                }
            }
        } finally {
            for (SegmentationRuntime runtime : runtimes) {
                runtime.close();
            }
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            Entry e = entries.get(r);
            double mean = Arrays.stream(ms[r]).average().orElse(Double.NaN);
            double[] sorted = ms[r].clone();
            Arrays.sort(sorted);
            double imagesPerSecond = options.batch() * 1000.0 / mean;
            results.add(new BenchmarkResult(e.label(), e.modelName(), options.input().toString(), options.batch(),
                    options.threads(), options.iterations(), mean, percentile(sorted, 0.5), percentile(sorted, 0.9),
                    imagesPerSecond, e.macsPerImage() * imagesPerSecond / 1e9, setupMs[r],
                    peak[r] < 0 ? -1 : peak[r] / MIB, before[r] < 0 ? -1 : before[r] / MIB,
                    peak[r] < 0 || before[r] < 0 ? -1 : (peak[r] - before[r]) / MIB));
        }
        return results;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
