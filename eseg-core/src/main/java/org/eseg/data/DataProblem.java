package org.eseg.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in a dataset.
 *
 * @param file the file to blame
 * @param message what is wrong (without the file name)
 */
public record DataProblem(Path file, String message) {

    /** Validates the fields. */
    public DataProblem {
        Objects.requireNonNull(message, "message");
    }

    /**
     * Builds a problem from an exception.
     *
     * @param e the exception
     * @param fallback the file to blame when the exception names none
     * @return the problem
     */
    public static DataProblem of(DataException e, Path fallback) {
        Path f = e.file() != null ? e.file() : fallback;
        String msg = e.getMessage();
        String prefix = f + ": ";
        if (msg != null && msg.startsWith(prefix)) {
            msg = msg.substring(prefix.length());
        }
        return new DataProblem(f, msg == null ? e.toString() : msg);
    }

    @Override
    public String toString() {
        return file + ": " + message;
    }
}
