package org.eseg.data.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.PairListing;
import org.eseg.data.PairedDataset;
import org.eseg.data.Sample;

/**
 * Reads a user's folder: {@code images/} (PNG or JPEG) and {@code masks/} (PNG) matched by file-name stem, or with
 * a split {@code images/<split>/} and {@code masks/<split>/} (by default {@code train} when {@code images/} holds
 * only split folders: {@link #defaultSplit}). The classes come from a {@link ClassesFile}
 * ({@code classes.txt} in the root unless given). Masks are decoded by {@link FolderMaskDecoder}.
 */
public final class FolderDataset {

    private FolderDataset() {}

    /** The default class list file name in the dataset root. */
    public static final String CLASSES_FILE = "classes.txt";

    /** The folder of images in the dataset root. */
    public static final String IMAGES_DIR = "images";

    /** The folder of masks in the dataset root. */
    public static final String MASKS_DIR = "masks";

    /** The split read by default when {@code images/} holds only split folders. */
    public static final String TRAIN_SPLIT = "train";

    /** Image file types a folder dataset reads. */
    public static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg");

    /**
     * Starts a reader.
     *
     * @param root the folder holding {@code images/} and {@code masks/}
     * @return the builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * The split read when none is given: none when {@code images/} holds images itself; {@value #TRAIN_SPLIT} when
     * it holds only split folders and one of them is {@value #TRAIN_SPLIT} (as Cityscapes and ADE20K default to their
     * training split).
     *
     * @param root the dataset root
     * @return the split, or null for none
     * @throws DataException naming the split folders found when {@code images/} holds only others
     */
    public static String defaultSplit(Path root) {
        Path images = root.resolve(IMAGES_DIR);
        if (!Files.isDirectory(images)
                || !PairListing.list(images, false, IMAGE_SUFFIXES.toArray(String[]::new)).isEmpty()) {
            return null;
        }
        List<String> splits;
        try (Stream<Path> s = Files.list(images)) {
            splits = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new DataException(images, "cannot list the folder: " + e.getMessage(), e);
        }
        if (splits.contains(TRAIN_SPLIT) || splits.isEmpty()) {
            return splits.isEmpty() ? null : TRAIN_SPLIT;
        }
        throw new DataException(images, "holds no images, only the split folders " + String.join(", ", splits)
                + "; choose one of them as the split");
    }

    /** Options of the folder reader. */
    public static final class Builder {
        private final Path root;
        private String split;
        private Path classesFile;
        private ClassInfo classes;
        private boolean skipBad;

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * Reads {@code images/<split>} and {@code masks/<split>}; without a split, {@code images/} and {@code masks/}.
         *
         * @param split the split name, or null
         * @return this
         */
        public Builder split(String split) {
            if (split != null && (split.isBlank() || split.contains("/") || split.contains(".."))) {
                throw new IllegalArgumentException("split must be a plain folder name, got '" + split + "'");
            }
            this.split = split;
            return this;
        }

        /**
         * Sets the class list file (default {@code <root>/classes.txt}).
         *
         * @param file the file, or null for the default
         * @return this
         */
        public Builder classesFile(Path file) {
            this.classesFile = file;
            return this;
        }

        /**
         * Gives the classes directly instead of a file.
         *
         * @param classes the classes
         * @return this
         */
        public Builder classes(ClassInfo classes) {
            this.classes = classes;
            return this;
        }

        /**
         * Leaves out pairs with listing problems instead of failing.
         *
         * @param skipBad true to skip
         * @return this
         */
        public Builder skipBad(boolean skipBad) {
            this.skipBad = skipBad;
            return this;
        }

        /**
         * Lists the pairs.
         *
         * @return the dataset
         */
        public PairedDataset build() {
            String split = this.split != null ? this.split : defaultSplit(root);
            Path imgDir = split == null ? root.resolve(IMAGES_DIR) : root.resolve(IMAGES_DIR).resolve(split);
            Path maskDir = split == null ? root.resolve(MASKS_DIR) : root.resolve(MASKS_DIR).resolve(split);
            if (!Files.isDirectory(imgDir)) {
                throw new DataException(imgDir, "folder not found (expected images/ and masks/ under " + root + ")");
            }
            ClassInfo info = classes;
            if (info == null) {
                Path f = classesFile != null ? classesFile : root.resolve(CLASSES_FILE);
                if (!Files.isRegularFile(f)) {
                    throw new DataException(f, "class list not found (one 'name' or 'name r,g,b' per line)");
                }
                info = ClassesFile.read(f);
            }
            PairListing listing = new PairListing();
            Map<String, Path> masks = new HashMap<>();
            if (Files.isDirectory(maskDir)) {
                for (Path m : PairListing.list(maskDir, false, ".png")) {
                    masks.put(PairListing.stem(m), m);
                }
            }
            Set<String> used = new HashSet<>();
            List<Path> images = PairListing.list(imgDir, false, IMAGE_SUFFIXES.toArray(String[]::new));
            for (Path img : images) {
                String stem = PairListing.stem(img);
                Path mask = masks.get(stem);
                if (mask == null) {
                    listing.problem(img, "image without a mask (expected " + maskDir.resolve(stem + ".png") + ")");
                    continue;
                }
                if (!used.add(stem)) {
                    listing.problem(img, "two images share the stem '" + stem + "'");
                    continue;
                }
                listing.add(new Sample(stem, img, mask));
            }
            masks.keySet().stream().filter(s -> !used.contains(s)).sorted()
                    .forEach(s -> listing.problem(masks.get(s), "mask without an image"));
            return listing.build("folder:" + root.getFileName() + (split == null ? "" : ":" + split), imgDir, info,
                    new FolderMaskDecoder(info), skipBad);
        }
    }
}
