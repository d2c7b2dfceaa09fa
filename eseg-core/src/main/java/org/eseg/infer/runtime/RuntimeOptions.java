package org.eseg.infer.runtime;

import org.eseg.util.ImageSize;

/**
 * How to open a {@link SegmentationRuntime}: start from {@link #DEFAULT} and change what differs with the
 * {@code with} methods.
 *
 * @param threads intra-op threads, or 0 for the engine's choice (usually one per core); for DJL this sets
 *     libtorch's process-wide thread count
 * @param inputSize the only input size the runtime will see, or null for any (ONNX Runtime plans its memory
 *     better for a fixed size)
 * @param batch the only batch size the runtime will see with the fixed input size, or 0 for any (ONNX Runtime
 *     then knows every shape and fuses more)
 * @param spinWait whether idle worker threads busy-wait for work (ONNX Runtime; libtorch's OpenMP pool follows
 *     the OMP_WAIT_POLICY environment variable instead, which the eseg launcher sets to PASSIVE): faster on an
 *     idle machine, much slower when other processes share the cores
 * @param lowMemory whether to trade speed for a lower peak (ONNX Runtime: no memory arena, no buffer planning)
 * @param precision the number format inside the runtime ({@link Precision#runsOn} says which runtime takes which)
 * @param calibration the images an int8 runtime is calibrated on, or null (required for int8)
 */
public record RuntimeOptions(int threads, ImageSize inputSize, int batch, boolean spinWait, boolean lowMemory,
        Precision precision, Calibration calibration) {

    /** The engine's threads, any input size and batch, sleeping idle threads, speed over memory, float32. */
    public static final RuntimeOptions DEFAULT =
            new RuntimeOptions(0, null, 0, false, false, Precision.DEFAULT, null);

    /**
     * Checks the counts.
     *
     * @throws IllegalArgumentException if threads or batch is negative
     */
    public RuntimeOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0 (0: any), got " + batch);
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
    }

    /**
     * These options with another precision.
     *
     * @param p the number format
     * @param images the int8 calibration, or null
     * @return the copy
     */
    public RuntimeOptions withPrecision(Precision p, Calibration images) {
        return new RuntimeOptions(threads, inputSize, batch, spinWait, lowMemory, p, images);
    }

    /**
     * These options with other intra-op threads.
     *
     * @param n threads, or 0 for the engine's choice
     * @return the copy
     */
    public RuntimeOptions withThreads(int n) {
        return new RuntimeOptions(n, inputSize, batch, spinWait, lowMemory, precision, calibration);
    }

    /**
     * These options promising a fixed input size and batch.
     *
     * @param size H×W, or null for any
     * @param n images per call, or 0 for any
     * @return the copy
     */
    public RuntimeOptions withInput(ImageSize size, int n) {
        return new RuntimeOptions(threads, size, n, spinWait, lowMemory, precision, calibration);
    }

    /**
     * These options with idle threads spinning or sleeping, and with or without the low-memory trade.
     *
     * @param spin whether idle threads busy-wait
     * @param low whether to keep the peak low
     * @return the copy
     */
    public RuntimeOptions withIdleAndMemory(boolean spin, boolean low) {
        return new RuntimeOptions(threads, inputSize, batch, spin, low, precision, calibration);
    }

    /**
     * The same options for images of any size: no fixed input size or batch, everything else kept.
     *
     * @return options that promise nothing about shapes
     */
    public RuntimeOptions anySize() {
        return withInput(null, 0);
    }
}
