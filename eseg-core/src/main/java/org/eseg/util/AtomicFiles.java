package org.eseg.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the
 * same folder, {@code .NAME.N.tmp}, which is then moved over the target in one rename. The temporary file is
 * created with the default permissions (the user's umask), so the target gets them too; a process killed
 * mid-write leaves it behind, and {@link #isTemporaryOf} recognises it for clean-up.
 */
public final class AtomicFiles {

    private static final String SUFFIX = ".tmp";

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
        Path tmp = null;
        try {
            OutputStream stream = null;
            while (stream == null) {
                // Not Files.createTempFile: it makes 0600 files whatever the umask.
                tmp = dir.resolve(prefix(target.getFileName().toString())
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + SUFFIX);
                try {
                    stream = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    tmp = null;
                }
            }
            try (OutputStream out = stream) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static String prefix(String targetName) {
        return "." + targetName + ".";
    }

    /**
     * Whether a file name is one of {@link #write}'s temporary files for a target name.
     *
     * @param fileName a file name in the target's folder
     * @param targetName the target's file name
     * @return true for {@code .TARGET.N.tmp}
     */
    public static boolean isTemporaryOf(String fileName, String targetName) {
        String p = prefix(targetName);
        return fileName.length() > p.length() + SUFFIX.length() && fileName.startsWith(p) && fileName.endsWith(SUFFIX);
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
