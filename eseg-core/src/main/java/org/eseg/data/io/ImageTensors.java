package org.eseg.data.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.eseg.data.RgbImage;
import org.eseg.data.transform.Normalization;

/**
 * The one way from an image to a network input: {@link ImageFiles#readRgb} (header size checked against the
 * {@link PixelLimit}, then decoded to 8-bit RGB), then {@link Normalization} (ImageNet mean and std), as a
 * (1, 3, H, W) float array. Training batches use the same normalisation through the data loader.
 */
public final class ImageTensors {

    private ImageTensors() {}

    /**
     * Reads an image file as a normalised network input.
     *
     * @param file the image
     * @param manager owns the result
     * @return (1, 3, H, W)
     * @throws org.eseg.data.DataException if the file is missing, damaged or above the pixel limit, naming it
     */
    public static NDArray read(Path file, NDManager manager) {
        return input(ImageFiles.readRgb(file), manager);
    }

    /**
     * An image as a normalised network input.
     *
     * @param image RGB in [0, 255]
     * @param manager owns the result
     * @return (1, 3, H, W)
     */
    public static NDArray input(RgbImage image, NDManager manager) {
        return manager.create(values(image), new Shape(1, 3, image.height(), image.width()));
    }

    /**
     * An image as the values of a normalised network input, for runtimes outside DJL.
     *
     * @param image RGB in [0, 255]
     * @return (1, 3, H, W) values, row-major
     */
    public static float[] values(RgbImage image) {
        return Normalization.normalize(image);
    }
}
