package org.eseg.cli;

import picocli.CommandLine.ArgGroup;

/** Holds {@link ModelOptions} as a picocli argument group so that they show together in --help. */
final class ModelOptionsMixin {

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Model:%n")
    ModelOptions options;

    ModelOptions get() {
        return options;
    }
}
