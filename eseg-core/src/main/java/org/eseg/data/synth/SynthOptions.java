package org.eseg.data.synth;

/**
 * Settings of the synthetic dataset.
 *
 * @param height image rows (default 256)
 * @param width image columns (default 512)
 * @param train training images (default 300)
 * @param val validation images (default 60)
 * @param seed the seed; the same seed gives byte-identical files (default 0)
 * @param threads generator threads; does not change the output (default: available processors)
 */
public record SynthOptions(int height, int width, int train, int val, long seed, int threads) {

    /** Validates the settings. */
    public SynthOptions {
        if (height < 32 || width < 32) {
            throw new IllegalArgumentException("synthetic images must be at least 32x32, got " + height + "x" + width);
        }
        if (train < 0 || val < 0 || train + val == 0) {
            throw new IllegalArgumentException("need at least one image (train " + train + ", val " + val + ")");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link SynthOptions}. */
    public static final class Builder {
        private int height = 256;
        private int width = 512;
        private int train = 300;
        private int val = 60;
        private long seed;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {}

        /**
         * Image size.
         *
         * @param h rows
         * @param w columns
         * @return this
         */
        public Builder size(int h, int w) {
            this.height = h;
            this.width = w;
            return this;
        }

        /**
         * Training image count.
         *
         * @param n the count
         * @return this
         */
        public Builder train(int n) {
            this.train = n;
            return this;
        }

        /**
         * Validation image count.
         *
         * @param n the count
         * @return this
         */
        public Builder val(int n) {
            this.val = n;
            return this;
        }

        /**
         * The seed.
         *
         * @param s the seed
         * @return this
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Generator threads.
         *
         * @param n the count
         * @return this
         */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public SynthOptions build() {
            return new SynthOptions(height, width, train, val, seed, threads);
        }
    }
}
