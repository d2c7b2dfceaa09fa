package org.eseg.infer.bench;

import org.eseg.util.ImageSize;

/** What a benchmark run measures. Build with {@link #builder()}. */
public final class BenchmarkOptions {

    private final ImageSize input;
    private final int batch;
    private final int threads;
    private final int iterations;
    private final int warmup;

    private BenchmarkOptions(Builder b) {
        input = b.input;
        batch = b.batch;
        threads = b.threads;
        iterations = b.iterations;
        warmup = b.warmup;
    }

    /**
     * Starts a builder; {@code setInput} is required.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The image size.
     *
     * @return H×W
     */
    public ImageSize input() {
        return input;
    }

    /**
     * Images per forward pass.
     *
     * @return N
     */
    public int batch() {
        return batch;
    }

    /**
     * Intra-op threads (0: engine default).
     *
     * @return threads
     */
    public int threads() {
        return threads;
    }

    /**
     * Timed forward passes.
     *
     * @return iterations
     */
    public int iterations() {
        return iterations;
    }

    /**
     * Untimed forward passes first.
     *
     * @return warm-up passes
     */
    public int warmup() {
        return warmup;
    }

    /** Options for {@link BenchmarkOptions}. */
    public static final class Builder {
        private ImageSize input;
        private int batch = 1;
        private int threads;
        private int iterations = 10;
        private int warmup = 2;

        private Builder() {}

        /**
         * Sets the image size (required).
         *
         * @param size H×W
         * @return this
         */
        public Builder setInput(ImageSize size) {
            input = size;
            return this;
        }

        /**
         * Sets the batch size (default 1).
         *
         * @param n images per pass, &gt; 0
         * @return this
         */
        public Builder optBatch(int n) {
            batch = n;
            return this;
        }

        /**
         * Sets the intra-op threads (default 0: engine default).
         *
         * @param n threads, &gt;= 0
         * @return this
         */
        public Builder optThreads(int n) {
            threads = n;
            return this;
        }

        /**
         * Sets the timed passes (default 10).
         *
         * @param n passes, &gt; 0
         * @return this
         */
        public Builder optIterations(int n) {
            iterations = n;
            return this;
        }

        /**
         * Sets the warm-up passes (default 2).
         *
         * @param n passes, &gt;= 0
         * @return this
         */
        public Builder optWarmup(int n) {
            warmup = n;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the bad setting
         */
        public BenchmarkOptions build() {
            if (input == null) {
                throw new IllegalArgumentException("input size is required");
            }
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            }
            return new BenchmarkOptions(this);
        }
    }
}
