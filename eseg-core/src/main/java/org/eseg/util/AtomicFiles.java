package org.eseg.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the
 * same folder, which is then moved over the target in one rename.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Something that writes a file's whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param out the stream to write to
         * @throws IOException if writing fails
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param target the file to create or replace
     * @param writer writes the content
     * @throws IOException if the content cannot be written; the target is then left as it was
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes a string atomically as UTF-8.
     *
     * @param target the file to create or replace
     * @param text the content
     * @throws IOException if the content cannot be written
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
