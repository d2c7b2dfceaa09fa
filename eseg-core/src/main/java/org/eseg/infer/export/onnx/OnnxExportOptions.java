package org.eseg.infer.export.onnx;

import org.eseg.util.ImageSize;

/**
 * How to export: a fixed input size or dynamic H and W, a fixed or free batch size, and the ONNX opset.
 * Build with {@link #builder()}.
 */
public final class OnnxExportOptions {

    /** The lowest opset supported: Resize with optional roi/scales inputs needs 13. */
    public static final int MIN_OPSET = 13;
    /** The highest opset this exporter was checked against. */
    public static final int MAX_OPSET = 21;
    /** The default opset. */
    public static final int DEFAULT_OPSET = 17;

    private final ImageSize inputSize;
    private final int batch;
    private final int opset;

    private OnnxExportOptions(Builder b) {
        this.inputSize = b.inputSize;
        this.batch = b.batch;
        this.opset = b.opset;
    }

    /**
     * Starts a builder (dynamic size, opset {@value #DEFAULT_OPSET}).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The fixed input size, or null when H and W are dynamic.
     *
     * @return the size or null
     */
    public ImageSize inputSize() {
        return inputSize;
    }

    /**
     * Whether H and W are symbolic in the exported graph.
     *
     * @return true for a dynamic export
     */
    public boolean dynamic() {
        return inputSize == null;
    }

    /**
     * The fixed batch size, or 0 when it is free.
     *
     * @return N or 0
     */
    public int batch() {
        return batch;
    }

    /**
     * The ONNX opset.
     *
     * @return opset version
     */
    public int opset() {
        return opset;
    }

    /** Options for {@link OnnxExportOptions}. */
    public static final class Builder {
        private ImageSize inputSize;
        private int batch;
        private int opset = DEFAULT_OPSET;

        private Builder() {}

        /**
         * Fixes the input size (default: dynamic).
         *
         * @param size H×W, or null for dynamic
         * @return this
         */
        public Builder optInputSize(ImageSize size) {
            inputSize = size;
            return this;
        }

        /**
         * Fixes the batch size (default: free).
         *
         * @param n images per run, or 0 for a free batch size
         * @return this
         */
        public Builder optBatch(int n) {
            batch = n;
            return this;
        }

        /**
         * Sets the opset (default {@value OnnxExportOptions#DEFAULT_OPSET}).
         *
         * @param version {@value OnnxExportOptions#MIN_OPSET}..{@value OnnxExportOptions#MAX_OPSET}
         * @return this
         */
        public Builder optOpset(int version) {
            opset = version;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if the opset or the batch is out of range
         */
        public OnnxExportOptions build() {
            if (batch < 0) {
                throw new IllegalArgumentException("batch must be at least 1 (or 0 for a free batch), got " + batch);
            }
            if (opset < MIN_OPSET || opset > MAX_OPSET) {
                throw new IllegalArgumentException(
                        "opset must be in " + MIN_OPSET + ".." + MAX_OPSET + ", got " + opset);
            }
            return new OnnxExportOptions(this);
        }
    }
}
