package org.eseg.infer.bench;

import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.util.ImageSize;

/**
 * What a benchmark run measures: the runtimes opened with {@code runtime} (which fixes the image size and batch),
 * timed over {@code iterations} forward passes after {@code warmup} untimed ones.
 *
 * @param runtime how the runtimes are opened; its input size is required and its batch at least 1
 * @param iterations timed forward passes, at least 1
 * @param warmup untimed forward passes first, at least 0
 */
public record BenchmarkOptions(RuntimeOptions runtime, int iterations, int warmup) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the bad setting
     */
    public BenchmarkOptions {
        if (runtime.inputSize() == null) {
            throw new IllegalArgumentException("input size is required");
        }
        if (runtime.batch() < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + runtime.batch());
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
    }

    /**
     * The image size.
     *
     * @return H×W
     */
    public ImageSize input() {
        return runtime.inputSize();
    }

    /**
     * Images per forward pass.
     *
     * @return N
     */
    public int batch() {
        return runtime.batch();
    }

    /**
     * Intra-op threads (0: engine default).
     *
     * @return threads
     */
    public int threads() {
        return runtime.threads();
    }
}
