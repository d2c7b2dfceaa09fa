package org.eseg.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code eseg} command: one subcommand per job; each parses its arguments and calls eseg-core. */
@Command(
        name = "eseg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "ESeg semantic segmentation on the JVM: models, training, evaluation, inference.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ModelsCommand.class,
            InfoCommand.class,
            SynthCommand.class,
            DatasetCommand.class,
            ImportBackboneCommand.class,
            FeaturesCommand.class,
            DemoCommand.class,
            TrainCommand.class,
            PredictCommand.class,
            BenchmarkCommand.class,
            ExportCommand.class,
            EvalCommand.class,
            PseudoLabelCommand.class,
        })
public final class EsegCli {

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (0 success, 1 failure, 2 bad usage).
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        // Nothing is ever downloaded at run time: libtorch comes from the class path.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return newCommandLine().execute(args);
    }

    /**
     * Builds the picocli command line with eseg's error handling.
     *
     * @return the command line
     */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new EsegCli());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setExecutionStrategy(ErrorHandler.strategy());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
