package org.eseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The processor features that decide how fast reduced precision runs: the {@code flags} line of
 * /proc/cpuinfo (Linux; elsewhere nothing is known and every reduced precision counts as slow).
 *
 * <p>The system property {@value #DISABLE_PROPERTY} (a comma-separated list of flags) hides features, to see
 * what a processor without them does.
 */
public final class CpuFeatures {

    /** System property: flags to treat as absent, e.g. {@code avx512_vnni,amx_int8}. */
    public static final String DISABLE_PROPERTY = "eseg.cpu.disable";

    /** The environment variable that caps the instruction set of libtorch's oneDNN. */
    public static final String LIBTORCH_ISA_ENV = "ONEDNN_MAX_CPU_ISA";

    /** The flags that matter for bf16 and int8 inference, in the order they are reported. */
    public static final List<String> REPORTED = List.of("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni",
            "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16");

    private final Set<String> flags;
    private final String isaCap;

    /**
     * Features from a set of flags.
     *
     * @param flags /proc/cpuinfo flag names (lower case)
     * @param isaCap the value of {@value #LIBTORCH_ISA_ENV}, or null when unset
     */
    public CpuFeatures(Set<String> flags, String isaCap) {
        this.flags = Collections.unmodifiableSet(new TreeSet<>(flags));
        this.isaCap = isaCap;
    }

    /**
     * This machine's features, minus those {@value #DISABLE_PROPERTY} hides.
     *
     * @return the features
     */
    public static CpuFeatures detect() {
        Set<String> found = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    found.addAll(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc/cpuinfo (not Linux): nothing known, reduced precision is reported as slow.
        }
        String hidden = System.getProperty(DISABLE_PROPERTY, "");
        for (String f : hidden.split(",")) {
            found.remove(f.trim().toLowerCase(Locale.ROOT));
        }
        return new CpuFeatures(found, System.getenv(LIBTORCH_ISA_ENV));
    }

    /**
     * Whether a flag is present.
     *
     * @param flag e.g. {@code avx512_vnni}
     * @return true if present
     */
    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /**
     * Whether 8-bit integer dot products are native: VNNI (AVX-512 or AVX) or AMX.
     *
     * @return true if int8 kernels run at full speed
     */
    public boolean int8Fast() {
        return has("avx512_vnni") || has("avx_vnni") || has("amx_int8");
    }

    /**
     * Whether bf16 arithmetic is native: AMX or AVX-512 BF16.
     *
     * @return true if the processor has bf16 instructions
     */
    public boolean bf16Fast() {
        return has("amx_bf16") || has("avx512_bf16");
    }

    /**
     * Whether libtorch's oneDNN is held below AVX-512 here (where its AVX-512 kernels compute wrong numbers,
     * see {@link LibtorchThreads}): then it cannot use AVX-512 BF16 or AMX whatever the processor has.
     *
     * @return true if capped to AVX2 or lower
     */
    public boolean libtorchIsaCapped() {
        if (isaCap == null || isaCap.isBlank()) {
            return false;
        }
        String cap = isaCap.trim().toUpperCase(Locale.ROOT);
        return !(cap.contains("AVX512") || cap.contains("AMX") || cap.equals("ALL") || cap.equals("DEFAULT"));
    }

    /**
     * One line for reports: the relevant flags present and absent, and libtorch's cap.
     *
     * @return e.g. {@code avx2 avx512f avx512_vnni avx512_bf16; no amx_int8 ...; libtorch ISA AVX2}
     */
    public String summary() {
        String present = REPORTED.stream().filter(this::has).collect(Collectors.joining(" "));
        String absent = REPORTED.stream().filter(f -> !has(f)).collect(Collectors.joining(" "));
        return (present.isEmpty() ? "none of the SIMD features known" : present)
                + (absent.isEmpty() ? "" : "; absent: " + absent)
                + "; libtorch ISA: " + (isaCap == null || isaCap.isBlank() ? "oneDNN default" : isaCap);
    }
}
