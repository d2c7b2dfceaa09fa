package org.eseg.infer.runtime;

import java.util.Locale;

/** The engines a {@link SegmentationRuntime} can use. */
public enum RuntimeKind {
    /** The compiled, BatchNorm-folded graph on libtorch through DJL (the fast DJL path). */
    DJL("djl"),
    /** The exported ONNX graph on ONNX Runtime (CPU). */
    ONNX("onnx"),
    /** The unmodified {@code EsegModel} block forward on DJL, for comparison. */
    DJL_EAGER("djl-eager");

    private final String label;

    RuntimeKind(String label) {
        this.label = label;
    }

    /**
     * The name used on the command line and in reports.
     *
     * @return e.g. {@code djl}
     */
    public String label() {
        return label;
    }

    /**
     * Parses a label.
     *
     * @param text e.g. {@code onnx} (case-insensitive)
     * @return the kind
     * @throws IllegalArgumentException listing the known labels
     */
    public static RuntimeKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (RuntimeKind k : values()) {
            if (k.label.equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown runtime '" + text + "'; known: djl, onnx, djl-eager");
    }
}
