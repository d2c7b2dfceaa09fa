package org.eseg.infer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from {@code /proc/self/status} (Linux): current (VmRSS) and peak
 * (VmHWM). The peak can be reset, so that one JVM can measure several runtimes one after the other.
 * On systems without /proc every figure is -1.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    /**
     * Peak resident set size since start or the last {@link #resetPeak()}.
     *
     * @return bytes, or -1 if unknown
     */
    public static long peakBytes() {
        return field("VmHWM:");
    }

    /**
     * Current resident set size.
     *
     * @return bytes, or -1 if unknown
     */
    public static long currentBytes() {
        return field("VmRSS:");
    }

    /**
     * Resets the peak to the current size (writes 5 to /proc/self/clear_refs, Linux 4.0+).
     *
     * @return true if the kernel accepted it
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String kb = line.substring(name.length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
