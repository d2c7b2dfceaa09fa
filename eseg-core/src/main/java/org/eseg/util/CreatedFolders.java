package org.eseg.util;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders a command creates for its output. Closing removes those of them that are still empty, so a command
 * that fails before writing anything leaves no empty output folder behind; a folder that existed before, or that
 * holds anything (an output, a file of the user's), is never touched.
 */
public final class CreatedFolders implements AutoCloseable {

    /** Deepest first. */
    private final List<Path> created;

    private CreatedFolders(List<Path> created) {
        this.created = created;
    }

    /**
     * Creates an output folder and its missing parents, and checks that it can be written.
     *
     * @param dir the output folder
     * @return the folders created; close to remove them again if still empty
     * @throws IOException naming the folder if it cannot be created or written (nothing is left behind then)
     */
    public static CreatedFolders forOutput(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        CreatedFolders folders = new CreatedFolders(missing);
        try {
            OutputFolders.checkWritable(dir);
        } catch (IOException e) {
            folders.close();
            throw e;
        }
        return folders;
    }

    /**
     * Whether any folder was created.
     *
     * @return false when the output folder existed already
     */
    public boolean any() {
        return !created.isEmpty();
    }

    /** Removes the created folders that are empty, deepest first; a folder that holds anything stays. */
    @Override
    public void close() {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (DirectoryNotEmptyException e) {
                return; // it holds outputs; so do its parents
            } catch (IOException e) {
                return; // leaving an empty folder is harmless; failing the command for it is not
            }
        }
    }
}
