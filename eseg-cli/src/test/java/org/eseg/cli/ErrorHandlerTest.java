package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Errors a command does not catch become one line and an exit code. */
class ErrorHandlerTest {

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void anOutOfMemoryErrorIsOneLineAndExitCode1() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Boom());
        cl.setExecutionStrategy(ErrorHandler.strategy());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(1, cl.execute());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("boom: error: out of memory (Java heap "), err.toString());
    }
}
