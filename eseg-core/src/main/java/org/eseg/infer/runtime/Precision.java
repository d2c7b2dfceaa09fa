package org.eseg.infer.runtime;

import java.util.Locale;
import java.util.Optional;
import org.eseg.util.CpuFeatures;

/** The number format a runtime computes in; images and logits are float32 at the boundary whatever it is. */
public enum Precision {
    /** Plain float32 everywhere. */
    FP32("fp32"),
    /**
     * bfloat16 weights and maps. No runtime computes in it yet: libtorch's oneDNN is held to AVX2 where its
     * AVX-512 kernels are wrong (see {@link org.eseg.util.LibtorchThreads}), and AVX2 has no bf16 arithmetic.
     */
    BF16("bf16"),
    /** int8 weights and uint8 maps in a calibrated QDQ ONNX graph (ONNX Runtime). */
    INT8("int8");

    /** The precision used unless one is asked for. */
    public static final Precision DEFAULT = FP32;

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    /**
     * The name used on the command line and in reports.
     *
     * @return e.g. {@code int8}
     */
    public String label() {
        return label;
    }

    /**
     * Parses a label.
     *
     * @param text fp32, bf16 or int8 (case-insensitive)
     * @return the precision
     * @throws IllegalArgumentException listing the known labels
     */
    public static Precision parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.label.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "'; known: fp32, bf16, int8");
    }

    /**
     * Whether a runtime can compute in this precision: int8 on ONNX Runtime, fp32 everywhere, bf16 nowhere
     * yet.
     *
     * @param kind the runtime
     * @return true if supported
     */
    public boolean runsOn(RuntimeKind kind) {
        return switch (this) {
            case FP32 -> true;
            case BF16 -> false;
            case INT8 -> kind == RuntimeKind.ONNX;
        };
    }

    /**
     * Why this precision will be slow on a processor, if it will: a warning to print, never a refusal
     * (the results are right either way).
     *
     * @param cpu the processor's features
     * @return the warning, or empty when the processor has the instructions this precision needs
     */
    public Optional<String> slowWarning(CpuFeatures cpu) {
        return switch (this) {
            case FP32 -> Optional.empty();
            case BF16 -> cpu.bf16Fast() && !cpu.libtorchIsaCapped() ? Optional.empty()
                    : Optional.of("bf16 will be slow on this processor: " + (cpu.bf16Fast()
                            ? "libtorch is limited to AVX2 here (" + CpuFeatures.LIBTORCH_ISA_ENV
                                    + "), which has no bf16 arithmetic"
                            : "it has neither AMX nor AVX-512 BF16, so bf16 is emulated in float32"));
            case INT8 -> cpu.int8Fast() ? Optional.empty()
                    : Optional.of("int8 will be slow on this processor: it has no VNNI (AVX-512 VNNI, AVX-VNNI "
                            + "or AMX), so 8-bit products take extra instructions");
        };
    }
}
