package org.eseg.infer;

import ai.djl.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.io.PixelLimit;
import org.eseg.util.OutputFolders;

/**
 * Segments image files and writes, for each image named {@code <name>}: {@code <name>_labels.png} (class indices),
 * {@code <name>_color.png} (the palette) and optionally {@code <name>_overlay.png}. Folders are searched
 * recursively and their subfolders mirrored under the output folder, so that no two inputs share an output (see
 * {@link #plan}). A file that cannot be read or segmented (damaged, above the {@link PixelLimit}, out of memory)
 * is reported and the others are still processed.
 */
public final class PredictionWriter {

    /** Image file types read from folders. */
    public static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Segmenter segmenter;
    private final Path out;
    private final Double overlayAlpha;
    private final InferenceOptions options;

    /** One input that could not be processed. */
    public record Failure(Path file, String message) {

        /**
         * The failure of one input, in one line. An {@link OutOfMemoryError} is caught per image: its large
         * allocations are unreachable once the image is given up, so the next image has the memory again.
         *
         * @param file the input
         * @param e what went wrong: bad data, an I/O error, a libtorch error or an out-of-memory error
         * @return the failure, its message without the file name and without libtorch's C++ backtrace
         */
        public static Failure of(Path file, Throwable e) {
            if (e instanceof OutOfMemoryError) {
                return new Failure(file, "out of memory while segmenting it (Java heap "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MB); sliding windows or a larger heap help");
            }
            String message = e instanceof DataException d ? DataProblem.of(d, file).message() : e.getMessage();
            return new Failure(file, message == null ? e.toString() : message.lines().findFirst().orElse(""));
        }
    }

    /**
     * One image and where its outputs go.
     *
     * @param file the image
     * @param name the outputs' name relative to the output folder, without the {@code _labels.png} suffix
     */
    public record Input(Path file, String name) {}

    /** What a run did. */
    public record Report(int written, List<Failure> failures) {}

    /**
     * Creates the writer; checks at once that the output folder can be written.
     *
     * @param segmenter the model
     * @param out output folder (created if needed)
     * @param overlayAlpha mask weight of the overlay, or null for no overlay
     * @throws IOException naming the folder if it cannot be created or written
     */
    public PredictionWriter(Segmenter segmenter, Path out, Double overlayAlpha) throws IOException {
        this(segmenter, InferenceOptions.DEFAULT, out, overlayAlpha);
    }

    /**
     * Creates the writer with test-time augmentation or sliding windows; checks at once that the output folder
     * can be written.
     *
     * @param segmenter the model
     * @param options scales, flip and window
     * @param out output folder (created if needed)
     * @param overlayAlpha mask weight of the overlay, or null for no overlay
     * @throws IOException naming the folder if it cannot be created or written
     */
    public PredictionWriter(Segmenter segmenter, InferenceOptions options, Path out, Double overlayAlpha)
            throws IOException {
        this.segmenter = segmenter;
        this.options = options;
        this.out = out;
        this.overlayAlpha = overlayAlpha;
        OutputFolders.checkWritable(out);
    }

    /**
     * Lists the images of files and folders (folders recursively, sorted; files under {@code out} left out) and
     * names their outputs so that no two collide. Names are paths relative to the deepest folder that holds all
     * inputs, so a folder's subfolders are mirrored ({@code IN/x/a.png} is named {@code x/a}) and so are the
     * folders of inputs from different places ({@code x/a.png y/a.png} give {@code x/a} and {@code y/a}). A name is
     * the file-name stem unless another input in the same folder has the same stem (ignoring case): then it keeps
     * the extension ({@code a.png} and {@code a.jpg} are named {@code a.png} and {@code a.jpg}). An image given
     * twice is segmented once.
     *
     * @param inputs files or folders
     * @param out the output folder, whose files are never inputs (it may lie inside an input folder)
     * @return the images with their output names
     * @throws IOException naming an input that does not exist, a folder without images, or two inputs whose
     *     outputs would still collide
     */
    public static List<Input> plan(List<Path> inputs, Path out) throws IOException {
        Path outDir = out.toAbsolutePath().normalize();
        Set<Path> files = new LinkedHashSet<>();
        Path root = null;
        for (Path in : inputs) {
            Path abs = in.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                List<Path> images = ImageFiles.list(abs, IMAGE_SUFFIXES, p -> !p.startsWith(outDir));
                if (images.isEmpty()) {
                    throw new IOException("folder " + in + " holds no images, in it or its subfolders ("
                            + String.join(", ", IMAGE_SUFFIXES) + ")");
                }
                files.addAll(images);
                root = commonFolder(root, abs);
            } else if (Files.exists(abs)) {
                files.add(abs);
                root = commonFolder(root, abs.getParent());
            } else {
                throw new IOException("input " + in + " does not exist");
            }
        }
        Map<String, Integer> perStem = new HashMap<>();
        for (Path f : files) {
            perStem.merge(stemKey(root, f), 1, Integer::sum);
        }
        List<Input> planned = new ArrayList<>();
        Map<String, Path> byName = new HashMap<>();
        for (Path f : files) {
            String own = perStem.get(stemKey(root, f)) > 1 ? f.getFileName().toString() : stem(f);
            Path folder = root.relativize(f).getParent();
            String name = folder == null ? own : folder.resolve(own).toString();
            Path other = byName.putIfAbsent(name.toLowerCase(Locale.ROOT), f);
            if (other != null) {
                throw new IOException("the outputs of " + other + " and " + f + " would have the same name '" + name
                        + "'; rename one of them");
            }
            planned.add(new Input(f, name));
        }
        return planned;
    }

    /** The folder and stem of a file, ignoring case (two such files would collide on a case-blind disk). */
    private static String stemKey(Path root, Path file) {
        Path folder = root.relativize(file).getParent();
        return ((folder == null ? "" : folder + "/") + stem(file)).toLowerCase(Locale.ROOT);
    }

    private static Path commonFolder(Path a, Path b) {
        if (a == null) {
            return b;
        }
        Path common = a;
        while (common != null && !b.startsWith(common)) {
            common = common.getParent();
        }
        return common == null ? b.getRoot() : common;
    }

    /**
     * The file-name stem.
     *
     * @param file a file
     * @return its name without the extension
     */
    public static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * Segments and writes every file of a list, named as {@link #plan} names them.
     *
     * @param files image files
     * @param progress called with the count done (may be null)
     * @return the report
     * @throws IOException if the files do not exist or their outputs would collide
     */
    public Report write(List<Path> files, IntConsumer progress) throws IOException {
        return run(plan(files, out), progress);
    }

    /**
     * Segments and writes every image. An image that cannot be read or segmented is reported and the others are
     * still processed.
     *
     * @param images images and their output names (from {@link #plan})
     * @param progress called with the count done (may be null)
     * @return the report
     */
    public Report run(List<Input> images, IntConsumer progress) {
        int written = 0;
        List<Failure> failures = new ArrayList<>();
        int done = 0;
        for (Input in : images) {
            try {
                write(in);
                written++;
            } catch (DataException | IOException | EngineException | OutOfMemoryError e) {
                failures.add(Failure.of(in.file(), e));
            }
            if (progress != null) {
                progress.accept(++done);
            }
        }
        return new Report(written, failures);
    }

    /**
     * Segments one image and writes its outputs.
     *
     * @param in the image and its output name
     * @return the segmentation
     * @throws IOException if an output cannot be written
     * @throws DataException if the image cannot be read
     */
    public Segmentation write(Input in) throws IOException {
        RgbImage image = ImageFiles.readRgb(in.file());
        Segmentation s = segmenter.segment(image, options);
        int h = s.height();
        int w = s.width();
        ImageFiles.writeGrayPng(output(in, "labels"), h, w, s.labels());
        byte[] color = Colorizer.colorMask(s.labels(), segmenter.classes());
        ImageFiles.writeRgbPng(output(in, "color"), h, w, color);
        if (overlayAlpha != null) {
            ImageFiles.writeRgbPng(output(in, "overlay"), h, w, Colorizer.overlay(image.data(), color, overlayAlpha));
        }
        return s;
    }

    private Path output(Input in, String kind) {
        return out.resolve(in.name() + "_" + kind + ".png");
    }
}
