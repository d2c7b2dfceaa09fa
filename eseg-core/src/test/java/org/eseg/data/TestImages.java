package org.eseg.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;

/** Writes small test images in the encodings the readers must handle. */
public final class TestImages {

    private TestImages() {}

    /** Writes an 8-bit RGB PNG (or JPEG if the name ends in .jpg) with colour rgbAt(x, y) = 0xRRGGBB. */
    public static Path rgb(Path file, int h, int w, IntBinaryOperator rgbAt) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgbAt.applyAsInt(x, y));
            }
        }
        return write(file, img);
    }

    /** Writes an 8-bit grayscale PNG with value at(x, y). */
    public static Path gray(Path file, int h, int w, IntBinaryOperator at) throws IOException {
        return grayOfType(file, h, w, BufferedImage.TYPE_BYTE_GRAY, at);
    }

    /** Writes a 16-bit grayscale PNG with value at(x, y). */
    public static Path gray16(Path file, int h, int w, IntBinaryOperator at) throws IOException {
        return grayOfType(file, h, w, BufferedImage.TYPE_USHORT_GRAY, at);
    }

    private static Path grayOfType(Path file, int h, int w, int type, IntBinaryOperator at) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, at.applyAsInt(x, y));
            }
        }
        return write(file, img);
    }

    /** Writes an RGBA PNG with colour rgbAt(x, y) and alpha 128. */
    public static Path rgba(Path file, int h, int w, IntBinaryOperator rgbAt) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (0x80 << 24) | rgbAt.applyAsInt(x, y));
            }
        }
        return write(file, img);
    }

    /** Writes a palette PNG with index at(x, y) and the given palette colours. */
    public static Path palette(Path file, int h, int w, int[] colours, IntBinaryOperator at) throws IOException {
        int n = 256;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        for (int i = 0; i < colours.length; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        IndexColorModel cm = new IndexColorModel(8, n, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster ras = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setSample(x, y, 0, at.applyAsInt(x, y));
            }
        }
        return write(file, img);
    }

    /** Cuts a file to a fraction of its length. */
    public static Path truncate(Path file, double keep) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, (int) (all.length * keep)));
        return file;
    }

    private static Path write(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String fmt = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpg" : "png";
        if (!ImageIO.write(img, fmt, file.toFile())) {
            throw new IOException("no writer for " + fmt);
        }
        return file;
    }
}
