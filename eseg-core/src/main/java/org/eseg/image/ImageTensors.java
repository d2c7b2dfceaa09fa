package org.eseg.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.eseg.data.transform.Normalization;
import org.eseg.model.layers.Resize;

/** Images as network input: reading, conversion to (1, 3, H, W), resizing, ImageNet normalisation. */
public final class ImageTensors {

    private ImageTensors() {}

    /**
     * Reads an image with {@code javax.imageio} (PNG, JPEG, BMP, GIF).
     *
     * @param file the image
     * @return the decoded image
     * @throws IOException if it is missing or not an image ImageIO can decode, naming it
     */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "image not found");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": cannot decode the image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(file + ": not an image format javax.imageio can read");
        }
        return img;
    }

    /**
     * Converts an image to a float tensor of RGB values in [0, 1].
     *
     * @param img the image (any type; alpha is dropped)
     * @param manager owns the result
     * @return (1, 3, H, W)
     */
    public static NDArray toTensor(BufferedImage img, NDManager manager) {
        int h = img.getHeight();
        int w = img.getWidth();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] chw = new float[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            chw[i] = ((p >> 16) & 0xff) / 255f;
            chw[plane + i] = ((p >> 8) & 0xff) / 255f;
            chw[2 * plane + i] = (p & 0xff) / 255f;
        }
        return manager.create(chw, new Shape(1, 3, h, w));
    }

    /**
     * Resizes bilinearly (when the size differs) and normalises with the ImageNet mean and std: the input
     * an ImageNet-pretrained encoder expects.
     *
     * @param rgb (N, 3, H, W) RGB in [0, 1]
     * @param height target height
     * @param width target width
     * @return (N, 3, height, width)
     */
    public static NDArray normalised(NDArray rgb, long height, long width) {
        Shape s = rgb.getShape();
        NDArray x = s.get(2) == height && s.get(3) == width ? rgb : Resize.bilinear(rgb, height, width);
        NDManager m = rgb.getManager();
        NDArray mean = m.create(Normalization.MEAN, new Shape(1, 3, 1, 1));
        NDArray std = m.create(Normalization.STD, new Shape(1, 3, 1, 1));
        return x.sub(mean).div(std);
    }
}
