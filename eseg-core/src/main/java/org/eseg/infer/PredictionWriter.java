package org.eseg.infer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.eseg.data.DataException;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.util.OutputFolders;

/**
 * Segments image files and writes, for each {@code <stem>}: {@code <stem>_labels.png} (class indices),
 * {@code <stem>_color.png} (the palette) and optionally {@code <stem>_overlay.png}. A file that cannot be
 * read is reported and the others are still processed.
 */
public final class PredictionWriter {

    private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Segmenter segmenter;
    private final Path out;
    private final Double overlayAlpha;
    private final InferenceOptions options;

    /** One input that could not be processed. */
    public record Failure(Path file, String message) {}

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
     * Expands files and folders (one level of images, sorted) into image files.
     *
     * @param inputs files or folders
     * @return the image files
     * @throws IOException naming an input that does not exist or a folder without images
     */
    public static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    List<Path> images = s.filter(Files::isRegularFile).filter(PredictionWriter::isImage).sorted().toList();
                    if (images.isEmpty()) {
                        throw new IOException("folder " + in + " holds no images (" + String.join(", ", IMAGE_SUFFIXES) + ")");
                    }
                    files.addAll(images);
                }
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                throw new IOException("input " + in + " does not exist");
            }
        }
        return files;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_SUFFIXES.stream().anyMatch(n::endsWith);
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
     * Segments and writes every file.
     *
     * @param files image files
     * @param progress called with the count done (may be null)
     * @return the report
     */
    public Report write(List<Path> files, IntConsumer progress) {
        int written = 0;
        List<Failure> failures = new ArrayList<>();
        int done = 0;
        for (Path f : files) {
            try {
                write(f);
                written++;
            } catch (DataException | IOException e) {
                failures.add(new Failure(f, e.getMessage()));
            }
            if (progress != null) {
                progress.accept(++done);
            }
        }
        return new Report(written, failures);
    }

    /**
     * Segments one file and writes its outputs.
     *
     * @param file the image
     * @return the segmentation
     * @throws IOException if an output cannot be written
     * @throws DataException if the image cannot be read
     */
    public Segmentation write(Path file) throws IOException {
        RgbImage image = ImageFiles.readRgb(file);
        Segmentation s = segmenter.segment(image, options);
        String stem = stem(file);
        int h = s.height();
        int w = s.width();
        ImageFiles.writeGrayPng(out.resolve(stem + "_labels.png"), h, w, s.labels());
        byte[] color = Colorizer.colorMask(s.labels(), segmenter.classes());
        ImageFiles.writeRgbPng(out.resolve(stem + "_color.png"), h, w, color);
        if (overlayAlpha != null) {
            ImageFiles.writeRgbPng(out.resolve(stem + "_overlay.png"), h, w,
                    Colorizer.overlay(image.data(), color, overlayAlpha));
        }
        return s;
    }
}
