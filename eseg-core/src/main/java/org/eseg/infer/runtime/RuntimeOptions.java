package org.eseg.infer.runtime;

import org.eseg.util.ImageSize;

/** How to open a {@link SegmentationRuntime}. Build with {@link #builder()}. */
public final class RuntimeOptions {

    private final int threads;
    private final ImageSize inputSize;
    private final int batch;
    private final boolean spinWait;
    private final boolean lowMemory;

    private RuntimeOptions(Builder b) {
        this.lowMemory = b.lowMemory;
        this.threads = b.threads;
        this.inputSize = b.inputSize;
        this.batch = b.batch;
        this.spinWait = b.spinWait;
    }

    /**
     * The same options for images of any size: no fixed input size or batch, everything else kept.
     *
     * @return options that promise nothing about shapes
     */
    public RuntimeOptions anySize() {
        return builder().optThreads(threads).optSpinWait(spinWait).optLowMemory(lowMemory).build();
    }

    /**
     * Starts a builder (engine-default threads, any input size).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Intra-op threads, or 0 for the engine's default.
     *
     * @return threads
     */
    public int threads() {
        return threads;
    }

    /**
     * The only input size the runtime will see, or null for any. ONNX Runtime plans its memory better
     * for a fixed size.
     *
     * @return the size or null
     */
    public ImageSize inputSize() {
        return inputSize;
    }

    /**
     * The only batch size the runtime will see with the fixed {@link #inputSize()}, or 0 for any.
     *
     * @return N or 0
     */
    public int batch() {
        return batch;
    }

    /**
     * Whether idle worker threads busy-wait for work (ONNX Runtime; libtorch's OpenMP pool follows the
     * OMP_WAIT_POLICY environment variable instead, which the eseg launcher sets to PASSIVE).
     *
     * @return true to spin
     */
    public boolean spinWait() {
        return spinWait;
    }

    /**
     * Whether to trade speed for a lower peak (ONNX Runtime: no memory arena, no buffer planning).
     *
     * @return true for low memory
     */
    public boolean lowMemory() {
        return lowMemory;
    }

    /** Options for {@link RuntimeOptions}. */
    public static final class Builder {
        private boolean lowMemory;
        private int threads;
        private ImageSize inputSize;
        private int batch;
        private boolean spinWait;

        private Builder() {}

        /**
         * Sets the intra-op threads (default 0: the engine's choice, usually one per core). For DJL this
         * sets libtorch's process-wide thread count.
         *
         * @param n threads, &gt;= 0
         * @return this
         */
        public Builder optThreads(int n) {
            threads = n;
            return this;
        }

        /**
         * Promises a fixed input size (default: any).
         *
         * @param size H×W or null
         * @return this
         */
        public Builder optInputSize(ImageSize size) {
            inputSize = size;
            return this;
        }

        /**
         * Promises a fixed batch size along with a fixed input size (default: any): ONNX Runtime then
         * knows every shape and fuses more.
         *
         * @param n images per call, or 0 for any
         * @return this
         */
        public Builder optBatch(int n) {
            batch = n;
            return this;
        }

        /**
         * Lets idle worker threads busy-wait (default false: they sleep, which is much faster when other
         * processes share the cores and a little slower on an idle machine).
         *
         * @param spin whether to spin
         * @return this
         */
        public Builder optSpinWait(boolean spin) {
            spinWait = spin;
            return this;
        }

        /**
         * Trades speed for memory where a runtime can (default false).
         *
         * @param low whether to keep the peak low
         * @return this
         */
        public Builder optLowMemory(boolean low) {
            lowMemory = low;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if threads is negative
         */
        public RuntimeOptions build() {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
            return new RuntimeOptions(this);
        }
    }
}
