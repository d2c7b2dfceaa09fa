package org.eseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory as the kernel sees it (native libtorch memory included), from {@code /proc/self/status}
 * (Linux): current (VmRSS) and peak (VmHWM) resident set. The peak can be reset, so that one JVM can measure
 * several runtimes one after the other. Where /proc is not available every figure is -1.
 */
public final class ResourceUsage {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResourceUsage() {}

    /**
     * Current resident set size.
     *
     * @return bytes, or -1 where /proc is not available
     */
    public static long residentBytes() {
        return statusField("VmRSS:");
    }

    /**
     * Peak resident set size since the process started or the last {@link #resetPeak()}.
     *
     * @return bytes, or -1 where /proc is not available
     */
    public static long peakResidentBytes() {
        return statusField("VmHWM:");
    }

    /**
     * Current resident set size.
     *
     * @return megabytes, or -1 where /proc is not available
     */
    public static double residentMegabytes() {
        long bytes = residentBytes();
        return bytes < 0 ? -1 : bytes / 1048576.0;
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

    /**
     * Memory the JVM has committed for its heap (part of the resident set; it grows until the
     * collector settles, which is not a native leak).
     *
     * @return megabytes
     */
    public static double heapCommittedMegabytes() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1048576.0;
    }

    private static long statusField(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }
}
