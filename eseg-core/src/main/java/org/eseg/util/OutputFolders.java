package org.eseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Output folders: checked before long work starts, and scratch trees removed afterwards. */
public final class OutputFolders {

    private OutputFolders() {}

    /**
     * Makes sure a folder exists and is writable, by creating it and a probe file in it (a permission
     * check alone would pass for root on a read-only mount).
     *
     * @param dir the folder
     * @throws IOException naming it if it cannot be created or written
     */
    public static void checkWritable(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create output folder " + dir + " (" + e.getMessage() + ")", e);
        }
        Path probe;
        try {
            probe = Files.createTempFile(dir, ".eseg-write-test", ".tmp");
        } catch (IOException e) {
            throw new IOException("output folder " + dir + " is not writable", e);
        }
        Files.deleteIfExists(probe);
    }

    /**
     * Deletes a folder and everything under it.
     *
     * @param root the folder (nothing happens if it does not exist)
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
