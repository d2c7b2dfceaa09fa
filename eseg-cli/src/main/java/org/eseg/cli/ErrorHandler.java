package org.eseg.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one clear line on stderr and an exit code: 2 for a bad argument, 1 otherwise.
 * The stack trace is shown only with {@code ESEG_DEBUG=1}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

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
