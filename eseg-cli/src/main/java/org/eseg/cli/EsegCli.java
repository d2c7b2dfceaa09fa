package org.eseg.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code eseg} command: one subcommand per job; each parses its arguments and calls eseg-core. Every
 * command gets the standard help options here (see {@link #newCommandLine()}).
 */
@Command(
        name = "eseg",
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
            AblationCommand.class,
            TrainCommand.class,
            PredictCommand.class,
            ServeCommand.class,
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
        standardHelp(cl);
        return cl;
    }

    /** Every command takes -h/--help and -V/--version and lists its options in the order they are declared. */
    private static void standardHelp(CommandLine cl) {
        if (cl.getCommand() instanceof CommandLine.HelpCommand) {
            return;
        }
        CommandSpec spec = cl.getCommandSpec();
        if (!spec.mixinStandardHelpOptions()) {
            spec.mixinStandardHelpOptions(true);
        }
        spec.usageMessage().sortOptions(false);
        cl.getSubcommands().values().forEach(EsegCli::standardHelp);
    }
}
