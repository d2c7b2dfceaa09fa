package org.eseg.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Collects pairs and listing problems while a reader walks its folders, then builds the dataset: fail-fast by
 * default (the first problem is thrown), or with {@code skipBad} the bad pairs are left out and kept as
 * {@link Dataset#skipped()}.
 */
public final class PairListing {

    private final List<Sample> samples = new ArrayList<>();
    private final List<DataProblem> problems = new ArrayList<>();

    /**
     * Adds a pair.
     *
     * @param s the pair
     */
    public void add(Sample s) {
        samples.add(s);
    }

    /**
     * Records a problem.
     *
     * @param file the file to blame
     * @param message what is wrong
     */
    public void problem(Path file, String message) {
        problems.add(new DataProblem(file, message));
    }

    /**
     * Builds the dataset.
     *
     * @param name a short description
     * @param root the folder that was searched (named when nothing was found)
     * @param classes the classes
     * @param decoder the mask decoder
     * @param skipBad leave out bad pairs instead of failing
     * @return the dataset
     * @throws DataException on the first problem unless skipBad, or when no pair was found
     */
    public PairedDataset build(String name, Path root, ClassInfo classes, LabelDecoder decoder, boolean skipBad) {
        if (!skipBad && !problems.isEmpty()) {
            DataProblem p = problems.get(0);
            throw new DataException(p.file(), p.message() + DataProblem.more(problems.size() - 1));
        }
        if (samples.isEmpty()) {
            throw new DataException(root, "no image/mask pairs found"
                    + (problems.isEmpty() ? "" : " (" + problems.size() + " problems, first: " + problems.get(0) + ")"));
        }
        return new PairedDataset(name, classes, samples, problems, decoder);
    }

    /**
     * Lists the regular files in a folder, sorted, optionally recursively.
     *
     * @param dir the folder
     * @param recursive also list sub-folders
     * @param suffixes accepted lower-case name endings
     * @return the files
     * @throws DataException if the folder does not exist
     */
    public static List<Path> list(Path dir, boolean recursive, String... suffixes) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "folder not found");
        }
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        for (String suf : suffixes) {
                            if (n.endsWith(suf.toLowerCase(Locale.ROOT))) {
                                return true;
                            }
                        }
                        return false;
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Returns a file name without its last extension.
     *
     * @param p the file
     * @return the stem
     */
    public static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
