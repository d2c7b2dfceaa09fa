package org.eseg.infer.export.onnx;

import org.eseg.util.ImageSize;

/**
 * How to export: start from {@link #DEFAULT} (dynamic H and W, free batch, opset {@value #DEFAULT_OPSET}) and
 * change what differs with the {@code with} methods.
 *
 * @param inputSize the fixed input size, or null when H and W are dynamic
 * @param batch the fixed batch size, or 0 when it is free
 * @param opset the ONNX opset, {@value #MIN_OPSET}..{@value #MAX_OPSET}
 * @param int8 calibrated activation ranges for an int8 (QDQ) export, or null for float32
 * @param probes whether every intermediate map is also a graph output (what calibration reads)
 */
public record OnnxExportOptions(ImageSize inputSize, int batch, int opset, ActivationRanges int8, boolean probes) {

    /** The lowest opset supported: Resize with optional roi/scales inputs needs 13. */
    public static final int MIN_OPSET = 13;
    /** The highest opset this exporter was checked against. */
    public static final int MAX_OPSET = 21;
    /** The default opset. */
    public static final int DEFAULT_OPSET = 17;
    /** Dynamic H and W, a free batch size, the default opset. */
    public static final OnnxExportOptions DEFAULT = new OnnxExportOptions(null, 0, DEFAULT_OPSET, null, false);

    /**
     * Checks the batch and the opset.
     *
     * @throws IllegalArgumentException if the opset or the batch is out of range
     */
    public OnnxExportOptions {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be at least 1 (or 0 for a free batch), got " + batch);
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("opset must be in " + MIN_OPSET + ".." + MAX_OPSET + ", got " + opset);
        }
    }

    /**
     * These options with a fixed input size and batch.
     *
     * @param size H×W, or null for dynamic
     * @param n images per run, or 0 for a free batch size
     * @return the copy
     */
    public OnnxExportOptions withInput(ImageSize size, int n) {
        return new OnnxExportOptions(size, n, opset, int8, probes);
    }

    /**
     * These options with another opset.
     *
     * @param version {@value #MIN_OPSET}..{@value #MAX_OPSET}
     * @return the copy
     */
    public OnnxExportOptions withOpset(int version) {
        return new OnnxExportOptions(inputSize, batch, version, int8, probes);
    }

    /**
     * These options for an int8 export: per-channel symmetric int8 weights and per-tensor uint8 activations
     * as QuantizeLinear / DequantizeLinear pairs, which ONNX Runtime fuses into integer kernels.
     *
     * @param ranges the calibrated ranges, or null for float32
     * @return the copy
     */
    public OnnxExportOptions withInt8(ActivationRanges ranges) {
        return new OnnxExportOptions(inputSize, batch, opset, ranges, probes);
    }

    /**
     * These options with every intermediate map as an extra graph output, named {@code t<id>}.
     *
     * @return the copy
     */
    public OnnxExportOptions withProbes() {
        return new OnnxExportOptions(inputSize, batch, opset, int8, true);
    }

    /**
     * Whether H and W are symbolic in the exported graph.
     *
     * @return true for a dynamic export
     */
    public boolean dynamic() {
        return inputSize == null;
    }
}
