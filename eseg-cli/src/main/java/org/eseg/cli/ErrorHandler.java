package org.eseg.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one clear line on stderr and an exit code: 2 for a bad argument, 1 otherwise.
 * The stack trace is shown only with {@code ESEG_DEBUG=1}. An {@link OutOfMemoryError}, which picocli does not
 * hand to exception handlers, gets its one line from {@link #strategy}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    /**
     * Runs the chosen subcommand, turning an out-of-memory error into one line and exit code 1.
     *
     * @return the execution strategy
     */
    static IExecutionStrategy strategy() {
        IExecutionStrategy run = new CommandLine.RunLast();
        return parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (OutOfMemoryError e) {
                CommandLine cl = last(parseResult).commandSpec().commandLine();
                cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": error: out of memory (Java heap "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MB); give smaller inputs or a larger heap, "
                        + "e.g. ESEG_JAVA_OPTS=-Xmx16g");
                return 1;
            }
        };
    }

    private static ParseResult last(ParseResult r) {
        ParseResult p = r;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        boolean usage = ex instanceof IllegalArgumentException;
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": error: " + msg);
        if ("1".equals(System.getenv("ESEG_DEBUG"))) {
            ex.printStackTrace(cl.getErr());
        }
        return usage ? 2 : 1;
    }
}
