package org.eseg.cli;

import org.eseg.infer.runtime.RuntimeOptions;
import picocli.CommandLine.Option;

/** {@code --threads}: the intra-op threads of the commands that run a model on a runtime. */
final class ThreadsMixin {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Intra-op threads (default: 0 = the engine's choice, one per core).")
    int threads;

    /** What 0 stands for: 0 = the engine's choice, unless a command chose another default. */
    private int unset;

    /**
     * Sets what {@code --threads 0} (the default) stands for in this command.
     *
     * @param n intra-op threads
     */
    void defaultTo(int n) {
        unset = n;
    }

    /**
     * The runtime options with these threads, everything else default.
     *
     * @return the options
     */
    RuntimeOptions runtimeOptions() {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be at least 0, got " + threads);
        }
        return RuntimeOptions.DEFAULT.withThreads(threads == 0 ? unset : threads);
    }
}
