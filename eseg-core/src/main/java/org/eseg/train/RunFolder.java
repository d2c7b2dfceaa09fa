package org.eseg.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.util.AtomicFiles;
import org.eseg.util.CreatedFolders;
import org.eseg.util.FolderLock;

/**
 * A training run's folder, owned for the length of a run: created if needed, locked against a second run
 * ({@link FolderLock}), refused when it already holds a run that is neither resumed nor overwritten, cleared of
 * the temporary files a killed run left, and removed again when a run that created it fails before its first
 * checkpoint. Only the run's own files are ever deleted ({@link #OWN_FILES}); anything else in the folder is
 * the user's.
 */
final class RunFolder implements AutoCloseable {

    /** The options of the run. */
    static final String OPTIONS = "train-options.json";
    /** The metrics log. */
    static final String METRICS = "metrics.jsonl";
    /** The training curves. */
    static final String CURVES = "curves.png";
    /** Every file a run writes into its folder. */
    static final List<String> OWN_FILES = List.of(OPTIONS, Checkpoint.LATEST, METRICS, CURVES);

    /** How a run treats what its folder already holds. */
    enum Mode {
        /** A new run: a folder holding a run is refused. */
        NEW,
        /** A new run that replaces the run in its folder (its own files only). */
        OVERWRITE,
        /** The run in the folder continues. */
        RESUME
    }

    private final Path dir;
    /** The folders this run created (dir and missing ancestors; none if dir existed). */
    private final CreatedFolders created;
    private final FolderLock lock;

    private RunFolder(Path dir, CreatedFolders created, FolderLock lock) {
        this.dir = dir;
        this.created = created;
        this.lock = lock;
    }

    /**
     * Creates (if needed) and locks a run folder, then prepares it for the mode.
     *
     * @param dir the run folder
     * @param mode new, overwrite or resume
     * @param listener receives what was taken over or removed
     * @return the owned folder; close it to release the lock
     * @throws IOException if the folder cannot be created, written or locked (naming the holder of the lock)
     * @throws IllegalArgumentException if a new run would write over an existing one
     */
    static RunFolder open(Path dir, Mode mode, TrainingListener listener) throws IOException {
        CreatedFolders created = CreatedFolders.forOutput(dir);
        FolderLock lock;
        try {
            lock = FolderLock.acquire(dir);
        } catch (IOException e) {
            created.close();
            throw e instanceof FolderLock.LockedException ? new IOException("run folder " + e.getMessage(), e) : e;
        }
        RunFolder f = new RunFolder(dir, created, lock);
        try {
            if (lock.stale() != null) {
                listener.message("run folder " + dir + ": stale lock of " + lock.stale().describe()
                        + ", which has ended; taking it over");
            }
            f.prepare(mode, listener);
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void prepare(Mode mode, TrainingListener listener) throws IOException {
        List<String> present = OWN_FILES.stream().filter(n -> Files.exists(dir.resolve(n))).toList();
        boolean holdsRun = present.stream().anyMatch(n -> !n.equals(CURVES));
        if (mode == Mode.NEW && holdsRun) {
            String files = String.join(", ", present);
            throw new IllegalArgumentException("run folder " + dir + (present.contains(Checkpoint.LATEST)
                    ? " already holds a training run (" + files + "); continue it with --resume " + dir + ", "
                    : " holds the start of a training run without a checkpoint (" + files + "); ")
                    + "train into another folder, or replace the run with --overwrite");
        }
        if (mode == Mode.OVERWRITE && !present.isEmpty()) {
            for (String n : present) {
                Files.deleteIfExists(dir.resolve(n));
            }
            listener.message("overwriting the run in " + dir + ": removed " + String.join(", ", present));
        }
        List<Path> stale = staleTemporaries();
        if (!stale.isEmpty()) {
            long bytes = 0;
            for (Path p : stale) {
                bytes += Files.size(p);
                Files.deleteIfExists(p);
            }
            listener.message(String.format(Locale.ROOT,
                    "run folder %s: removed %d temporary file(s) left by an interrupted run (%.1f MB): %s",
                    dir, stale.size(), bytes / 1e6, String.join(", ", stale.stream()
                            .map(p -> p.getFileName().toString()).toList())));
        }
    }

    /** Temporary files of the run's own files, left by a process killed while writing one. */
    private List<Path> staleTemporaries() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && OWN_FILES.stream().anyMatch(n -> AtomicFiles.isTemporaryOf(name, n))) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Removes what a failed run left when the run created the folder and wrote no checkpoint into it: the run's
     * own files, the lock file, and then the folders it created if nothing else is in them.
     *
     * @throws IOException if a file cannot be deleted
     */
    void removeIfCreated() throws IOException {
        if (!created.any() || Files.exists(dir.resolve(Checkpoint.LATEST))) {
            return;
        }
        close();
        for (Path p : staleTemporaries()) {
            Files.deleteIfExists(p);
        }
        for (String n : OWN_FILES) {
            Files.deleteIfExists(dir.resolve(n));
        }
        Files.deleteIfExists(dir.resolve(FolderLock.FILE_NAME));
        created.close();
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        lock.close();
    }
}
