package org.eseg.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code eseg dataset}: checks and measures datasets. */
@Command(name = "dataset",
        description = "Inspect datasets: stats (counts and problems), bench (input pipeline speed).",
        subcommands = {DatasetStatsCommand.class, DatasetBenchCommand.class, CommandLine.HelpCommand.class})
final class DatasetCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: stats or bench");
    }
}
