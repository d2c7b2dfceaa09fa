package org.eseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * How a training step computes: the model's eager blocks on DJL, with the maps in NCHW memory order (libtorch's
 * default, what {@code eseg train} runs) or in channels-last (NHWC) order. Every op keeps its input's layout, so a
 * channels-last image makes every map of the step channels-last and oneDNN's convolutions run on its native CPU
 * layout. That path is a measured experiment, not a training option: in libtorch 2.7.1 on the AVX2 kernels it
 * computes ESeg-S's training-mode forward pass wrong (logits off by 0.8 of 11.5; ESeg-Lite-S agrees to 1e-4
 * relative), see docs/performance.md.
 */
public enum TrainingPath {
    /** The eager blocks on NCHW maps. */
    EAGER("eager"),
    /** The eager blocks on channels-last maps. */
    EAGER_CHANNELS_LAST("eager-cl");

    private final String label;

    TrainingPath(String label) {
        this.label = label;
    }

    /** @return the path's name in reports and options */
    public String label() {
        return label;
    }

    /**
     * The path named by a label.
     *
     * @param label {@code eager} or {@code eager-cl}
     * @return the path
     * @throws IllegalArgumentException naming the known labels
     */
    public static TrainingPath parse(String label) {
        for (TrainingPath p : values()) {
            if (p.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown training path '" + label + "'; known: eager, eager-cl");
    }

    /**
     * The images as this path feeds them to the model.
     *
     * @param images (N, C, H, W) float images, NCHW-contiguous
     * @return the same values and shape, in this path's memory order
     */
    NDArray input(NDArray images) {
        if (this == EAGER) {
            return images;
        }
        Shape s = images.getShape();
        // DJL has no memory-format call: permuting to NHWC and reshaping (which must copy a permuted view) lays
        // the numbers out NHWC; permuting back gives an (N, C, H, W) array with channels-last strides.
        return images.transpose(0, 2, 3, 1).reshape(s.get(0), -1)
                .reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }
}
