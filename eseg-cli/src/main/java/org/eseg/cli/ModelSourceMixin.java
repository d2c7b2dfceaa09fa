package org.eseg.cli;

import picocli.CommandLine.ArgGroup;

/** Holds exactly one {@link ModelSource}: {@code --model NAME [...]} or {@code --checkpoint PATH}. */
final class ModelSourceMixin {

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Model (one of):%n")
    ModelSource source;

    ModelSource get() {
        return source;
    }
}
