package org.eseg.data;

import java.nio.file.Path;

/** Bad data: a file that cannot be read or whose content breaks the dataset's conventions. */
public class DataException extends RuntimeException {

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file the offending file or folder (may be null when no single file is to blame)
     * @param message what is wrong and what was expected; the file name is prepended
     */
    public DataException(Path file, String message) {
        super(file == null ? message : file + ": " + message);
        this.file = file;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param file the offending file or folder
     * @param message what is wrong
     * @param cause the underlying error
     */
    public DataException(Path file, String message, Throwable cause) {
        super(file == null ? message : file + ": " + message, cause);
        this.file = file;
    }

    /**
     * Returns the offending file.
     *
     * @return the file, or null
     */
    public Path file() {
        return file;
    }
}
