package org.eseg.infer.runtime;

import java.util.Arrays;

/**
 * A dense float32 NCHW tensor in plain Java memory: what crosses the boundary of a
 * {@link SegmentationRuntime}, whichever engine runs it.
 *
 * @param data values, row-major
 * @param shape {N, C, H, W}
 */
public record FloatTensor(float[] data, long[] shape) {

    /** Validates that the data fills the shape. */
    public FloatTensor {
        if (shape.length != 4) {
            throw new IllegalArgumentException("expected an NCHW shape, got " + Arrays.toString(shape));
        }
        long n = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("dimensions must be positive, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    /**
     * Batch size.
     *
     * @return N
     */
    public int batch() {
        return (int) shape[0];
    }

    /**
     * Channels.
     *
     * @return C
     */
    public int channels() {
        return (int) shape[1];
    }

    /**
     * Height.
     *
     * @return H
     */
    public int height() {
        return (int) shape[2];
    }

    /**
     * Width.
     *
     * @return W
     */
    public int width() {
        return (int) shape[3];
    }

    /**
     * The per-pixel argmax over channels.
     *
     * @return N·H·W class indices
     */
    public int[] argmax() {
        int c = channels();
        int plane = height() * width();
        int[] out = new int[batch() * plane];
        for (int n = 0; n < batch(); n++) {
            int base = n * c * plane;
            for (int p = 0; p < plane; p++) {
                int best = 0;
                float bv = data[base + p];
                for (int k = 1; k < c; k++) {
                    float v = data[base + k * plane + p];
                    if (v > bv) {
                        bv = v;
                        best = k;
                    }
                }
                out[n * plane + p] = best;
            }
        }
        return out;
    }
}
