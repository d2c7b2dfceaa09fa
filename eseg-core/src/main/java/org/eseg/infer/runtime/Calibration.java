package org.eseg.infer.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.io.ImageTensors;
import org.eseg.data.folder.FolderDataset;

/**
 * The images an int8 model is calibrated on and how their activation ranges are summarised.
 *
 * @param images normalised (1, 3, H, W) inputs; may be loaded lazily on {@code get}
 * @param percentile 100 for each map's min/max over all images; below 100 (e.g. 99.99) the range from that
 *     lower/upper percentile of a sample of its values, which ignores rare outliers and gives finer steps
 */
public record Calibration(List<FloatTensor> images, double percentile) {

    /** How many images calibrate unless told otherwise. */
    public static final int DEFAULT_IMAGES = 200;

    /** The default summary: plain min/max. */
    public static final double MIN_MAX = 100;

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if there are no images or the percentile is outside (50, 100]
     */
    public Calibration {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one image");
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("calibration percentile must be in (50, 100], got " + percentile);
        }
    }

    /**
     * Calibration on up to {@code count} images of a folder (searched recursively, sorted by path, spread evenly
     * over the listing), each read when the calibration reaches it.
     *
     * @param dir a folder of training images (for Cityscapes, {@code leftImg8bit/train})
     * @param count how many images, at least 1
     * @param percentile see {@link Calibration}
     * @return the calibration
     * @throws IOException if the folder cannot be listed
     * @throws IllegalArgumentException if it is not a folder or holds no image
     */
    public static Calibration fromFolder(Path dir, int count, double percentile) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("calibration folder " + dir + " is not a folder");
        }
        if (count < 1) {
            throw new IllegalArgumentException("calibration needs at least 1 image, got " + count);
        }
        List<Path> all = ImageFiles.list(dir, FolderDataset.IMAGE_SUFFIXES, p -> true);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("calibration folder " + dir + " holds no image ("
                    + String.join(", ", FolderDataset.IMAGE_SUFFIXES) + ")");
        }
        List<Path> chosen = new ArrayList<>();
        int n = Math.min(count, all.size());
        for (int i = 0; i < n; i++) {
            chosen.add(all.get((int) ((long) i * all.size() / n)));
        }
        List<FloatTensor> images = new AbstractList<>() {
            @Override
            public FloatTensor get(int i) {
                RgbImage image = ImageFiles.readRgb(chosen.get(i));
                return new FloatTensor(ImageTensors.values(image), new long[] {1, 3, image.height(), image.width()});
            }

            @Override
            public int size() {
                return chosen.size();
            }
        };
        return new Calibration(images, percentile);
    }
}
