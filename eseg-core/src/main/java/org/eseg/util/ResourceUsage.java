package org.eseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as the kernel sees it (native libtorch memory included), from /proc. */
public final class ResourceUsage {

    private ResourceUsage() {}

    /**
     * Current resident set size.
     *
     * @return megabytes, or -1 where /proc is not available
     */
    public static double residentMegabytes() {
        return statusField("VmRSS:");
    }

    /**
     * Peak resident set size since the process started.
     *
     * @return megabytes, or -1 where /proc is not available
     */
    public static double peakResidentMegabytes() {
        return statusField("VmHWM:");
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

    private static double statusField(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }
}
