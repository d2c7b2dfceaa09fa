package org.eseg.train.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.eseg.train.StepPhases;
import org.eseg.train.SyntheticTraining;
import org.eseg.util.ResourceUsage;

/**
 * Times training paths: builds each, takes warm-up steps, then timed steps on one random batch, and records step
 * time, throughput, where the time goes and peak resident memory.
 *
 * <p>As in the inference benchmark, several paths are timed side by side with their steps interleaved (one step
 * of each in turn), so that a machine whose speed drifts slows all alike and their ratio stays meaningful. The peak
 * (VmHWM) is reset before each path is built; it covers the paths built before it too.
 */
public final class TrainBenchmark {

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * One training path to time.
     *
     * @param label the path's name in the report
     * @param factory builds the path's model, optimiser and batch
     */
    public record Entry(String label, Supplier<SyntheticTraining> factory) {}

    private TrainBenchmark() {}

    /**
     * Measures training paths side by side.
     *
     * @param entries the paths
     * @param warmup untimed steps of each path first (at least one is taken, so that the peak covers a whole step)
     * @param steps timed steps of each path, at least 1
     * @param batch images per step
     * @return the figures, in the entries' order
     */
    public static List<TrainBenchmarkResult> run(List<Entry> entries, int warmup, int steps, int batch) {
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("steps must be >= 1 and warm-up >= 0, got " + steps + ", " + warmup);
        }
        int k = entries.size();
        List<SyntheticTraining> paths = new ArrayList<>();
        long[] peak = new long[k];
        double[][] ms = new double[k][steps];
        double[] cpuMs = new double[k];
        try {
            for (int r = 0; r < k; r++) {
                System.gc();
                ResourceUsage.resetPeak();
                SyntheticTraining path = entries.get(r).factory().get();
                paths.add(path);
                for (int i = 0; i < Math.max(1, warmup); i++) {
                    path.step();
                }
                peak[r] = ResourceUsage.peakResidentBytes();
                path.phases().reset();
            }
            for (int i = 0; i < steps; i++) {
                for (int r = 0; r < k; r++) {
                    long cpu = processCpuNanos();
                    long s = System.nanoTime();
                    paths.get(r).step();
                    ms[r][i] = (System.nanoTime() - s) / 1e6;
                    cpuMs[r] += (processCpuNanos() - cpu) / 1e6 / steps;
                }
            }
            List<TrainBenchmarkResult> results = new ArrayList<>();
            for (int r = 0; r < k; r++) {
                double mean = Arrays.stream(ms[r]).average().orElse(Double.NaN);
                double[] sorted = ms[r].clone();
                Arrays.sort(sorted);
                StepPhases p = paths.get(r).phases();
                results.add(new TrainBenchmarkResult(entries.get(r).label(), steps, mean, median(sorted),
                        batch * 1000.0 / mean, cpuMs[r], p.forwardMs(), p.backwardMs(), p.optimizerMs(), p.emaMs(),
                        peak[r] < 0 ? -1 : peak[r] / MIB));
            }
            return results;
        } finally {
            for (SyntheticTraining path : paths) {
                path.close();
            }
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
