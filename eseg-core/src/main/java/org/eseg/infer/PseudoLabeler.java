package org.eseg.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.folder.FolderDataset;
import org.eseg.data.folder.PseudoLabelFolder;
import org.eseg.data.io.ImageFiles;
import org.eseg.util.AtomicFiles;
import org.eseg.util.OutputFolders;

/**
 * Labels unlabelled images with a teacher model for self-training (docs/design.md section 2): the most probable class
 * of each pixel under test-time augmentation, or {@link ClassInfo#IGNORE} (255) where its probability is below a
 * threshold. The output is a folder dataset that {@code eseg train --pseudo-data} reads:
 *
 * <pre>
 * DIR/images/&lt;stem&gt;.&lt;ext&gt;   the image (hard link, or a copy across file systems)
 * DIR/masks/&lt;stem&gt;.png      8-bit label PNG: class index, or 255 below the threshold
 * DIR/classes.txt           the teacher's classes with their colours
 * DIR/summary.json          pixels kept, in total and per predicted class
 * </pre>
 *
 * <p>{@code summary.json} is written last, atomically: a folder without it is an interrupted run, which
 * {@link PseudoLabelFolder#open} refuses.
 *
 * <p><b>Threshold boundary.</b> A pixel is kept when its probability is <em>at least</em> the threshold
 * (docs/design.md section 2: pixels whose confidence is <em>below</em> 0.5 become ignore). The comparison is made in float, the
 * precision of the probabilities: {@code confidence >= (float) threshold}.
 */
public final class PseudoLabeler {

    /** Image file types a folder dataset reads. */
    public static final List<String> IMAGE_SUFFIXES = FolderDataset.IMAGE_SUFFIXES;

    private final Segmenter segmenter;
    private final InferenceOptions options;
    private final float threshold;
    private final Path out;

    /** Pixel counts of one predicted class. */
    public record ClassCount(String name, long pixels, long kept) {

        /**
         * The fraction of this class's pixels kept.
         *
         * @return kept / pixels, or NaN when the class was never predicted
         */
        public double fractionKept() {
            return pixels == 0 ? Double.NaN : (double) kept / pixels;
        }
    }

    /**
     * What a run did.
     *
     * @param images images labelled
     * @param pixels pixels of those images
     * @param kept pixels at or above the threshold
     * @param classes counts per predicted class
     * @param failures inputs that could not be processed
     */
    public record Summary(int images, long pixels, long kept, List<ClassCount> classes,
            List<PredictionWriter.Failure> failures) {

        /**
         * The fraction of pixels kept.
         *
         * @return kept / pixels, NaN without pixels
         */
        public double fractionKept() {
            return pixels == 0 ? Double.NaN : (double) kept / pixels;
        }
    }

    /**
     * Creates the labeller; checks at once that the output folder can be written and creates its layout.
     *
     * @param segmenter the teacher
     * @param options scales, flip and window (the paper: {@link InferenceOptions#multiScaleFlip()})
     * @param threshold the confidence threshold in [0, 1]; pixels with a lower probability become 255
     * @param out the output folder
     * @throws IOException naming the folder if it cannot be created or written
     */
    public PseudoLabeler(Segmenter segmenter, InferenceOptions options, double threshold, Path out)
            throws IOException {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        this.segmenter = segmenter;
        this.options = options;
        this.threshold = (float) threshold;
        this.out = out;
        OutputFolders.checkWritable(out);
        OutputFolders.checkWritable(out.resolve(FolderDataset.IMAGES_DIR));
        OutputFolders.checkWritable(out.resolve(FolderDataset.MASKS_DIR));
    }

    /**
     * The pseudo-label of every pixel: its class when the confidence is at least the threshold, else 255.
     *
     * @param segmentation labels and confidences
     * @param threshold the threshold (compared in float)
     * @return one label per pixel
     */
    public static byte[] threshold(Segmentation segmentation, float threshold) {
        byte[] labels = segmentation.labels();
        float[] confidence = segmentation.confidence();
        byte[] out = new byte[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = confidence[i] >= threshold ? labels[i] : (byte) ClassInfo.IGNORE;
        }
        return out;
    }

    /**
     * Image files under a folder and its subfolders (sorted), with unique file-name stems.
     *
     * @param dir the folder
     * @return the images
     * @throws IOException if the folder cannot be listed or holds no images
     * @throws IllegalArgumentException naming two images with the same stem (their masks would collide)
     */
    public static List<Path> listImages(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("image folder " + dir + " does not exist");
        }
        List<Path> images;
        try (Stream<Path> s = Files.walk(dir)) {
            images = s.filter(Files::isRegularFile).filter(PseudoLabeler::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new IOException("folder " + dir + " holds no images (" + String.join(", ", IMAGE_SUFFIXES) + ")");
        }
        Map<String, Path> byStem = new HashMap<>();
        for (Path p : images) {
            Path other = byStem.putIfAbsent(PredictionWriter.stem(p), p);
            if (other != null) {
                throw new IllegalArgumentException("two images share the name stem '" + PredictionWriter.stem(p)
                        + "': " + other + " and " + p + " (their masks would overwrite each other)");
            }
        }
        return images;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_SUFFIXES.stream().anyMatch(n::endsWith);
    }

    /**
     * Labels every image, writes {@code classes.txt} and {@code summary.json}. An image that cannot be read is
     * reported in the summary and leaves nothing behind; the others are still labelled.
     *
     * @param images image files (unique stems)
     * @param progress called with the count done (may be null)
     * @return the summary
     * @throws IOException if {@code classes.txt} or {@code summary.json} cannot be written
     */
    public Summary run(List<Path> images, IntConsumer progress) throws IOException {
        // A summary from before would describe pairs this run is replacing: the folder is incomplete until the end.
        Files.deleteIfExists(out.resolve(SUMMARY_FILE));
        ClassInfo classes = segmenter.classes();
        writeClasses(out.resolve(FolderDataset.CLASSES_FILE), classes);
        long[] predicted = new long[classes.size()];
        long[] kept = new long[classes.size()];
        List<PredictionWriter.Failure> failures = new ArrayList<>();
        int done = 0;
        int labelled = 0;
        long pixels = 0;
        for (Path f : images) {
            try {
                Segmentation s = segmenter.segment(ImageFiles.readRgb(f), options);
                byte[] labels = threshold(s, threshold);
                write(f, s.height(), s.width(), labels);
                byte[] best = s.labels();
                for (int i = 0; i < best.length; i++) {
                    predicted[best[i] & 0xFF]++;
                    if (labels[i] != (byte) ClassInfo.IGNORE) {
                        kept[best[i] & 0xFF]++;
                    }
                }
                pixels += best.length;
                labelled++;
            } catch (DataException | IOException e) {
                failures.add(new PredictionWriter.Failure(f, e.getMessage()));
            }
            if (progress != null) {
                progress.accept(++done);
            }
        }
        List<ClassCount> counts = new ArrayList<>();
        long keptTotal = 0;
        for (int c = 0; c < classes.size(); c++) {
            counts.add(new ClassCount(classes.name(c), predicted[c], kept[c]));
            keptTotal += kept[c];
        }
        Summary summary = new Summary(labelled, pixels, keptTotal, counts, failures);
        AtomicFiles.writeString(out.resolve(SUMMARY_FILE), summaryJson(summary));
        return summary;
    }

    /** The summary file name in the output folder. */
    public static final String SUMMARY_FILE = PseudoLabelFolder.SUMMARY_FILE;

    /** Writes the mask, then links or copies the image; on failure neither is left behind. */
    private void write(Path image, int height, int width, byte[] labels) throws IOException {
        String name = image.getFileName().toString();
        Path mask = out.resolve(FolderDataset.MASKS_DIR).resolve(PredictionWriter.stem(image) + ".png");
        Path target = out.resolve(FolderDataset.IMAGES_DIR).resolve(name);
        ImageFiles.writeGrayPng(mask, height, width, labels);
        try {
            Files.deleteIfExists(target);
            try {
                Files.createLink(target, image);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(image, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(mask);
            throw new IOException("cannot link or copy " + image + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a class list in the {@link org.eseg.data.folder.ClassesFile} format: {@code name r,g,b} per line.
     *
     * @param file the target
     * @param classes the classes
     * @throws IOException if writing fails
     */
    public static void writeClasses(Path file, ClassInfo classes) throws IOException {
        StringBuilder sb = new StringBuilder(PseudoLabelFolder.CLASSES_HEADER + ": the teacher's classes in train-id order\n");
        for (int c = 0; c < classes.size(); c++) {
            int rgb = classes.color(c);
            sb.append(classes.name(c)).append(' ')
                    .append((rgb >> 16) & 0xFF).append(',').append((rgb >> 8) & 0xFF).append(',').append(rgb & 0xFF)
                    .append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * The summary as pretty JSON, as written to {@code summary.json}.
     *
     * @param s the summary
     * @return the JSON text
     */
    public String summaryJson(Summary s) {
        try {
            return JSON.writeValueAsString(summaryMap(s)) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The summary as a JSON-ready map: images, failed, threshold, scales, flip, pixels, kept, fraction_kept and
     * per_class (name → pixels, kept, fraction_kept); undefined fractions are null.
     *
     * @param s the summary
     * @return the map
     */
    public Map<String, Object> summaryMap(Summary s) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("images", s.images());
        root.put("failed", s.failures().size());
        root.put("threshold", (double) threshold);
        root.put("scales", options.scales());
        root.put("flip", options.flip());
        root.put("pixels", s.pixels());
        root.put("kept", s.kept());
        root.put("fraction_kept", finite(s.fractionKept()));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (ClassCount c : s.classes()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("pixels", c.pixels());
            e.put("kept", c.kept());
            e.put("fraction_kept", finite(c.fractionKept()));
            perClass.put(c.name(), e);
        }
        root.put("per_class", perClass);
        return root;
    }

    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}
