package org.eseg.data.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.eseg.data.DataException;
import org.eseg.data.RgbImage;
import org.eseg.util.AtomicFiles;

/**
 * Reads and writes PNG and JPEG files with {@code javax.imageio}. Images are converted to 8-bit RGB: grayscale is
 * replicated, alpha dropped, 16-bit samples scaled, palettes expanded. Decoder warnings (a truncated JPEG decodes
 * to grey with only a warning) count as errors, so a damaged file never slips through as a valid image. The size in
 * the header is checked against the {@link PixelLimit} before any pixel is decoded.
 */
public final class ImageFiles {

    private ImageFiles() {}

    static {
        ImageIO.setUseCache(false); // decode in memory; no temp files per image
    }

    /**
     * Image files under a folder and its subfolders, sorted by path. Hidden files (a name starting with a dot, such
     * as temporary files or macOS metadata) are left out.
     *
     * @param dir the folder
     * @param suffixes the file-name endings that mark an image, lower case (e.g. {@code .png})
     * @param keep which of the files to list (for example: not those under an output folder)
     * @return the images
     * @throws IOException if the folder cannot be walked
     */
    public static List<Path> list(Path dir, List<String> suffixes, Predicate<Path> keep) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(keep).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return !n.startsWith(".") && suffixes.stream().anyMatch(n::endsWith);
            }).sorted().toList();
        }
    }

    /**
     * Decodes a file, after checking the size its header states against the {@link PixelLimit}.
     *
     * @param file the image file
     * @return the decoded image
     * @throws DataException if the file is missing, not an image, damaged, or too large
     */
    public static BufferedImage decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "file not found");
        }
        return decode(file, () -> ImageIO.createImageInputStream(file.toFile()));
    }

    /**
     * Decodes an image held in memory (an upload), after checking the size its header states against the
     * {@link PixelLimit}.
     *
     * @param bytes the encoded image (PNG, JPEG, BMP, GIF)
     * @param name what to call it in messages
     * @return the decoded image
     * @throws DataException if the bytes are not an image, damaged, or too large
     */
    public static BufferedImage decode(byte[] bytes, Path name) {
        return decode(name, () -> ImageIO.createImageInputStream(new ByteArrayInputStream(bytes)));
    }

    /** Opens the stream an image is decoded from. */
    private interface Source {
        ImageInputStream open() throws IOException;
    }

    private static BufferedImage decode(Path file, Source source) {
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = source.open()) {
            if (in == null) {
                throw new DataException(file, "cannot open the file");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file, "not a readable image (expected PNG or JPEG)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((src, w) -> warnings.add(w));
                PixelLimit.check(file, reader.getWidth(0), reader.getHeight(0));
                BufferedImage img = decode(file, reader);
                if (!warnings.isEmpty()) {
                    throw new DataException(file, "damaged image: " + String.join("; ", warnings));
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file, "file not found", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d) {
                throw d;
            }
            throw new DataException(file, "cannot decode image (truncated or corrupt?): " + e.getMessage(), e);
        }
    }

    private static BufferedImage decode(Path file, ImageReader reader) throws IOException {
        try {
            return reader.read(0);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, reader.getWidth(0), reader.getHeight(0));
        }
    }

    /** Under the pixel limit but above what this heap holds: a problem of this file, not of the command. */
    private static DataException outOfMemory(Path file, int width, int height) {
        return new DataException(file, "not enough memory to decode a " + width + "x" + height
                + " (WxH) image (Java heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB)");
    }

    /**
     * Reads an image as 8-bit RGB.
     *
     * @param file the image file
     * @return the image
     */
    public static RgbImage readRgb(Path file) {
        return readRgb(file, note -> {});
    }

    /**
     * Reads an image as 8-bit RGB and reports each conversion made.
     *
     * @param file the image file
     * @param notes receives one line per conversion (grayscale, alpha, 16-bit, palette)
     * @return the image
     */
    public static RgbImage readRgb(Path file, Consumer<String> notes) {
        return toRgb(file, decode(file), notes);
    }

    /**
     * Reads an image held in memory (an upload) as 8-bit RGB.
     *
     * @param bytes the encoded image
     * @param name what to call it in messages
     * @return the image
     */
    public static RgbImage readRgb(byte[] bytes, Path name) {
        return toRgb(name, decode(bytes, name), note -> {});
    }

    private static RgbImage toRgb(Path file, BufferedImage img, Consumer<String> notes) {
        try {
            return toRgb(img, notes);
        } catch (IllegalArgumentException e) {
            throw new DataException(file, e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, img.getWidth(), img.getHeight());
        }
    }

    /**
     * Converts a decoded image to planar RGB floats in [0, 255].
     *
     * @param img the image
     * @param notes receives one line per conversion
     * @return the image
     */
    public static RgbImage toRgb(BufferedImage img, Consumer<String> notes) {
        int h = img.getHeight();
        int w = img.getWidth();
        int n = h * w;
        float[] out = new float[3 * n];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            notes.accept("palette image expanded to RGB");
            int[] idx = r.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < n; i++) {
                int k = idx[i];
                out[i] = icm.getRed(k);
                out[n + i] = icm.getGreen(k);
                out[2 * n + i] = icm.getBlue(k);
            }
            return new RgbImage(h, w, out);
        }
        int colorBands = cm.getNumColorComponents();
        int bits = r.getSampleModel().getSampleSize(0);
        if (colorBands != 1 && colorBands != 3) {
            throw new IllegalArgumentException("unsupported colour model with " + colorBands + " components");
        }
        if (colorBands == 1) {
            notes.accept("grayscale image replicated to RGB");
        }
        if (cm.hasAlpha()) {
            notes.accept("alpha channel dropped");
        }
        if (bits != 8) {
            notes.accept(bits + "-bit samples scaled to 8 bit");
        }
        if (bits == 8 && r.getDataBuffer() instanceof DataBufferByte db
                && r.getSampleModel() instanceof ComponentSampleModel sm && db.getNumBanks() == 1) {
            // Fast path for the common 8-bit interleaved case (PNG RGB/RGBA/gray, JPEG): read the bytes directly.
            byte[] bytes = db.getData();
            int ps = sm.getPixelStride();
            int ss = sm.getScanlineStride();
            int[] offs = sm.getBandOffsets();
            int base = db.getOffset() - r.getSampleModelTranslateX() * ps - r.getSampleModelTranslateY() * ss;
            for (int c = 0; c < 3; c++) {
                int bo = offs[colorBands == 1 ? 0 : c];
                int off = c * n;
                for (int y = 0; y < h; y++) {
                    int p = base + y * ss + bo;
                    int o = off + y * w;
                    for (int x = 0; x < w; x++, p += ps) {
                        out[o + x] = bytes[p] & 0xFF;
                    }
                }
            }
            return new RgbImage(h, w, out);
        }
        int[] buf = null;
        for (int c = 0; c < 3; c++) {
            int band = colorBands == 1 ? 0 : c;
            if (c == 0 || colorBands == 3) {
                buf = r.getSamples(0, 0, w, h, band, buf);
            }
            int off = c * n;
            if (bits == 8) {
                for (int i = 0; i < n; i++) {
                    out[off + i] = buf[i];
                }
            } else {
                float scale = 255f / ((1 << bits) - 1);
                for (int i = 0; i < n; i++) {
                    out[off + i] = Math.round(buf[i] * scale);
                }
            }
        }
        return new RgbImage(h, w, out);
    }

    /**
     * Writes an 8-bit RGB PNG atomically. The bytes depend only on the pixels (no timestamps).
     *
     * @param file the target
     * @param height rows
     * @param width columns
     * @param rgb interleaved R, G, B bytes, row-major
     * @throws IOException if writing fails
     */
    public static void writeRgbPng(Path file, int height, int width, byte[] rgb) throws IOException {
        writePng(file, rgbImage(height, width, rgb));
    }

    /**
     * Encodes 8-bit RGB as PNG in memory: the bytes {@link #writeRgbPng} writes.
     *
     * @param height rows
     * @param width columns
     * @param rgb interleaved R, G, B bytes, row-major
     * @return the PNG file's bytes
     * @throws IOException if encoding fails
     */
    public static byte[] rgbPng(int height, int width, byte[] rgb) throws IOException {
        return png(rgbImage(height, width, rgb));
    }

    private static BufferedImage rgbImage(int height, int width, byte[] rgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        img.getRaster().setDataElements(0, 0, width, height, rgb);
        return img;
    }

    /**
     * Writes an 8-bit grayscale PNG (e.g. a label map) atomically.
     *
     * @param file the target
     * @param height rows
     * @param width columns
     * @param values one byte per pixel, row-major
     * @throws IOException if writing fails
     */
    public static void writeGrayPng(Path file, int height, int width, byte[] values) throws IOException {
        writePng(file, grayImage(height, width, values));
    }

    /**
     * Encodes an 8-bit grayscale image (e.g. a label map) as PNG in memory: the bytes {@link #writeGrayPng}
     * writes.
     *
     * @param height rows
     * @param width columns
     * @param values one byte per pixel, row-major
     * @return the PNG file's bytes
     * @throws IOException if encoding fails
     */
    public static byte[] grayPng(int height, int width, byte[] values) throws IOException {
        return png(grayImage(height, width, values));
    }

    private static BufferedImage grayImage(int height, int width, byte[] values) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, width, height, values);
        return img;
    }

    /**
     * Writes any image as PNG atomically. The image is encoded in memory first, so that the temporary file exists
     * only while the bytes are written and a killed process rarely leaves one behind.
     *
     * @param file the target
     * @param img the image
     * @throws IOException if writing fails
     */
    public static void writePng(Path file, BufferedImage img) throws IOException {
        byte[] png = png(img);
        AtomicFiles.write(file, out -> out.write(png));
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) {
            throw new IOException("no PNG writer for image type " + img.getType());
        }
        return png.toByteArray();
    }
}
