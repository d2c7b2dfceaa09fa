package org.eseg.data.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eseg.data.DataException;
import org.eseg.data.PairListing;
import org.eseg.data.PairedDataset;

/**
 * A pseudo-labelled folder dataset: the {@link FolderDataset} layout plus {@value #SUMMARY_FILE}, which the labeller
 * writes last. A folder without it is an interrupted run whose pairs are incomplete, so it is never read as
 * training data; an output folder is only ever emptied of what a labeller wrote there.
 */
public final class PseudoLabelFolder {

    private PseudoLabelFolder() {}

    /** The summary file, written last: its presence marks a complete folder. */
    public static final String SUMMARY_FILE = "summary.json";

    /** The first line of the class list the labeller writes, which marks even an interrupted folder as its own. */
    public static final String CLASSES_HEADER = "# eseg pseudo-label";

    /**
     * Opens a complete pseudo-labelled folder.
     *
     * @param dir the folder
     * @param skipBad leave out pairs with listing problems instead of failing
     * @return the dataset
     * @throws DataException naming the folder when it has no {@value #SUMMARY_FILE}
     */
    public static PairedDataset open(Path dir, boolean skipBad) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "pseudo-label folder not found");
        }
        if (!Files.isRegularFile(dir.resolve(SUMMARY_FILE))) {
            throw new DataException(dir, "not a complete pseudo-label folder (no " + SUMMARY_FILE
                    + "); an interrupted run?");
        }
        return FolderDataset.builder(dir).skipBad(skipBad).build();
    }

    /**
     * The entries of a folder, to refuse writing into one that holds anything.
     *
     * @param dir the folder
     * @return its entries, sorted (empty when it does not exist)
     * @throws IOException if it cannot be listed
     */
    public static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /**
     * Removes a previous labeller's output from a folder: {@value #SUMMARY_FILE} first (so that an interruption
     * leaves an incomplete folder, not a wrong one), then every mask in {@code masks/} with its image in
     * {@code images/}, leftover temporary files, and the class list. Anything else stays.
     *
     * @param dir the folder
     * @return the files removed
 * @throws DataException if the folder does not look like a labeller's output (its files are left alone)
     * @throws IOException if a file cannot be removed
     */
    public static int removeOutput(Path dir) throws IOException {
        if (!isLabellerOutput(dir)) {
            throw new DataException(dir, "holds files but no " + SUMMARY_FILE + " nor a class list written by the "
                    + "labeller; it does not look like pseudo-label output, so nothing was removed");
        }
        List<Path> doomed = new ArrayList<>();
        doomed.add(dir.resolve(SUMMARY_FILE));
        Path masks = dir.resolve(FolderDataset.MASKS_DIR);
        Path images = dir.resolve(FolderDataset.IMAGES_DIR);
        List<String> stems = new ArrayList<>();
        for (Path m : entries(masks)) {
            if (m.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") || isTemp(m)) {
                doomed.add(m);
                stems.add(PairListing.stem(m));
            }
        }
        for (Path i : entries(images)) {
            if (stems.contains(PairListing.stem(i)) || isTemp(i)) {
                doomed.add(i);
            }
        }
        doomed.add(dir.resolve(FolderDataset.CLASSES_FILE));
        int removed = 0;
        for (Path p : doomed) {
            if (Files.deleteIfExists(p)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Whether a folder was written by the labeller: it has {@value #SUMMARY_FILE}, or a class list starting with
     * {@link #CLASSES_HEADER} (an interrupted run).
     *
     * @param dir the folder
     * @return true if so
     * @throws IOException if the class list cannot be read
     */
    public static boolean isLabellerOutput(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(SUMMARY_FILE))) {
            return true;
        }
        Path classes = dir.resolve(FolderDataset.CLASSES_FILE);
        if (!Files.isRegularFile(classes)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(classes)) {
            return lines.findFirst().map(l -> l.startsWith(CLASSES_HEADER)).orElse(false);
        } catch (java.io.UncheckedIOException e) {
            return false; // not UTF-8: not ours
        }
    }

    private static boolean isTemp(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tmp");
    }
}
