package org.eseg.data.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;
import org.eseg.data.DataException;

/**
 * A mask file's raw content, before any dataset convention is applied: either one index per pixel (8/16-bit
 * grayscale, or the indices of a palette PNG, never its colours) or one packed 0xRRGGBB colour per pixel.
 *
 * @param file where it came from
 * @param height rows
 * @param width columns
 * @param values indices or packed colours, row-major
 * @param colour true when {@code values} are RGB colours
 */
public record RawMask(Path file, int height, int width, int[] values, boolean colour) {

    /**
     * Reads a mask file.
     *
     * @param file the PNG
     * @return the raw mask
     * @throws DataException if it cannot be decoded
     */
    public static RawMask read(Path file) {
        BufferedImage img = ImageFiles.decode(file);
        int h = img.getHeight();
        int w = img.getWidth();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel || cm.getNumColorComponents() == 1) {
            // palette PNG: the raster holds the indices, which are the labels
            return new RawMask(file, h, w, r.getSamples(0, 0, w, h, 0, (int[]) null), false);
        }
        if (cm.getNumColorComponents() != 3) {
            throw new DataException(file, "unsupported mask colour model with "
                    + cm.getNumColorComponents() + " components");
        }
        int shift = r.getSampleModel().getSampleSize(0) - 8;
        int[] red = r.getSamples(0, 0, w, h, 0, (int[]) null);
        int[] green = r.getSamples(0, 0, w, h, 1, (int[]) null);
        int[] blue = r.getSamples(0, 0, w, h, 2, (int[]) null);
        int[] packed = new int[h * w];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = ((red[i] >> shift) << 16) | ((green[i] >> shift) << 8) | (blue[i] >> shift);
        }
        return new RawMask(file, h, w, packed, true);
    }

    /**
     * Returns single-channel values, accepting an RGB mask only when it is gray (R = G = B everywhere).
     *
     * @return the indices
     * @throws DataException if the mask has real colours
     */
    public int[] indices() {
        if (!colour) {
            return values;
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            int red = (v >> 16) & 0xFF;
            if (red != ((v >> 8) & 0xFF) || red != (v & 0xFF)) {
                throw new DataException(file, String.format(
                        "expected a single-channel label PNG, found colour (%d,%d,%d) at x=%d y=%d",
                        red, (v >> 8) & 0xFF, v & 0xFF, i % width, i / width));
            }
            out[i] = red;
        }
        return out;
    }
}
