package org.eseg.data.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.eseg.data.DataException;

/**
 * The largest image, in pixels, that {@link ImageFiles} decodes. The size is read from the file's header (PNG IHDR,
 * JPEG SOF) before any pixel is decoded, so a small file that claims a huge image is refused at no cost instead of
 * exhausting the memory of whatever command reads it.
 *
 * <p>The limit is process-wide because every reader of images (prediction, evaluation, pseudo-labels, dataset
 * checks, the training loader's worker threads) goes through {@link ImageFiles}; a command sets it once with
 * {@link #set} and restores the previous value when it ends.
 */
public final class PixelLimit {

    /**
     * The default: 64 megapixels (for example 8000 x 8000). Decoding one such image takes at most 3 bytes per pixel
     * for the decoded raster, 12 for the planar float RGB image and 12 for the normalised input: about 1.7 GB, which
     * fits the launcher's heap (8 GB) and the JVM's default heap (a quarter of the memory) on a machine with 8 GB.
     * A Cityscapes frame is 2 megapixels, a 50-megapixel camera photo passes.
     */
    public static final long DEFAULT = 64_000_000L;

    private static final AtomicLong MAX = new AtomicLong(DEFAULT);

    private PixelLimit() {}

    /** An image above the limit: a request too large rather than bad data (a server answers 413, not 400). */
    public static final class Exceeded extends DataException {
        private static final long serialVersionUID = 1L;

        Exceeded(Path file, String message) {
            super(file, message);
        }
    }

    /** Puts the previous limit back when closed. */
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The current limit.
     *
     * @return the largest width x height decoded
     */
    public static long max() {
        return MAX.get();
    }

    /**
     * Sets the limit until the returned handle is closed.
     *
     * @param pixels the largest width x height to decode, at least 1
     * @return closes to restore the previous limit
     * @throws IllegalArgumentException if pixels is below 1
     */
    public static Restore set(long pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("the pixel limit must be at least 1, got " + pixels);
        }
        long previous = MAX.getAndSet(pixels);
        return () -> MAX.set(previous);
    }

    /**
     * Refuses an image whose header size is above the limit.
     *
     * @param file the image, for the message
     * @param width its width from the header
     * @param height its height from the header
     * @throws Exceeded naming the file, its size and the limit
     */
    public static void check(Path file, long width, long height) {
        long max = max();
        if (width * height > max) {
            throw new Exceeded(file, String.format(Locale.ROOT,
                    "image too large: %dx%d (WxH) is %s, above the limit of %s", width, height,
                    megapixels(width * height), megapixels(max)));
        }
    }

    private static String megapixels(long pixels) {
        return pixels >= 1_000_000 ? String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6)
                : pixels + " pixels";
    }
}
