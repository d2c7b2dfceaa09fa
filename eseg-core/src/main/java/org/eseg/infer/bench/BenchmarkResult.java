package org.eseg.infer.bench;

/**
 * What one runtime achieved in a benchmark run.
 *
 * @param runtime runtime label (djl, onnx, djl-eager)
 * @param model model name
 * @param input H×W
 * @param batch images per pass
 * @param threads intra-op threads asked for (0: engine default)
 * @param iterations timed passes
 * @param msMean mean milliseconds per pass
 * @param msP50 median milliseconds per pass
 * @param msP90 90th-percentile milliseconds per pass
 * @param imagesPerSecond batch / mean seconds per pass
 * @param gmacPerSecond achieved 10^9 multiply-adds per second (conv/linear MACs of the model)
 * @param setupMs time to build the runtime (compile, fold, export, session creation)
 * @param peakRssMb peak resident memory of the process while this runtime was built and run, MiB
 * @param rssBeforeMb resident memory just before this runtime was built, MiB
 * @param rssIncreaseMb peakRssMb - rssBeforeMb: what this runtime added at its peak
 */
public record BenchmarkResult(
        String runtime,
        String model,
        String input,
        int batch,
        int threads,
        int iterations,
        double msMean,
        double msP50,
        double msP90,
        double imagesPerSecond,
        double gmacPerSecond,
        double setupMs,
        double peakRssMb,
        double rssBeforeMb,
        double rssIncreaseMb) {}
