package org.eseg.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.eseg.util.AtomicFiles;

/**
 * Renders a confusion matrix as a heat map: each row (label) is normalised to sum to 1, white is 0
 * and dark blue is 1; labels run down the left side, predictions across the top (names rotated).
 * Rows without label pixels stay white. Uses only {@code java.awt} and works headless.
 */
public final class ConfusionHeatMap {

    /** Side of one cell in pixels. */
    static final int CELL = 20;

    private ConfusionHeatMap() {}

    /**
     * Renders the heat map.
     *
     * @param matrix the confusion matrix
     * @param classNames one name per class
     * @return an RGB image
     * @throws IllegalArgumentException if the number of names is not C
     */
    public static BufferedImage render(ConfusionMatrix matrix, List<String> classNames) {
        ConfusionMatrix.checkNames(classNames, matrix.numClasses());
        long[][] m = matrix.toArray();
        int c = m.length;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        int margin = labelWidth(font, classNames) + 8;
        int size = margin + c * CELL + 1;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            for (int i = 0; i < c; i++) {
                long rowSum = 0;
                for (long n : m[i]) {
                    rowSum += n;
                }
                for (int j = 0; j < c; j++) {
                    double v = rowSum == 0 ? 0 : (double) m[i][j] / rowSum;
                    g.setColor(shade(v));
                    g.fillRect(margin + j * CELL, margin + i * CELL, CELL, CELL);
                }
            }
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(margin, margin, c * CELL, c * CELL);
            g.setFont(font);
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            int baseline = (CELL + fm.getAscent() - fm.getDescent()) / 2;
            for (int i = 0; i < c; i++) {
                String name = classNames.get(i);
                // Row labels, right-aligned against the grid.
                g.drawString(name, margin - 4 - fm.stringWidth(name), margin + i * CELL + baseline);
                // Column labels, rotated to read bottom-up above the grid.
                AffineTransform saved = g.getTransform();
                g.translate(margin + i * CELL + baseline, margin - 4);
                g.rotate(-Math.PI / 2);
                g.drawString(name, 0, 0);
                g.setTransform(saved);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Renders the heat map and writes it as PNG, atomically.
     *
     * @param file the file to create or replace
     * @param matrix the confusion matrix
     * @param classNames one name per class
     * @throws IOException if writing fails
     */
    public static void writePng(Path file, ConfusionMatrix matrix, List<String> classNames) throws IOException {
        BufferedImage image = render(matrix, classNames);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** White at 0 to dark blue (8, 48, 107) at 1, linear per channel. */
    static Color shade(double v) {
        double t = Math.max(0, Math.min(1, v));
        return new Color(
                (int) Math.round(255 + t * (8 - 255)),
                (int) Math.round(255 + t * (48 - 255)),
                (int) Math.round(255 + t * (107 - 255)));
    }

    private static int labelWidth(Font font, List<String> names) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            FontMetrics fm = g.getFontMetrics(font);
            int w = 0;
            for (String n : names) {
                w = Math.max(w, fm.stringWidth(n));
            }
            return w;
        } finally {
            g.dispose();
        }
    }
}
