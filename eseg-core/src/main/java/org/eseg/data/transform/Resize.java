package org.eseg.data.transform;

import org.eseg.data.LabelMap;
import org.eseg.data.RgbImage;

/**
 * Resizing on plain arrays: bilinear for images and nearest for masks, both with pixel centres aligned
 * ({@code align_corners=False}, as OpenCV and mmsegmentation).
 */
public final class Resize {

    private Resize() {}

    /**
     * Bilinear resize of an image.
     *
     * @param src the image
     * @param h new rows
     * @param w new columns
     * @return the resized image (the same object when the size is unchanged)
     */
    public static RgbImage bilinear(RgbImage src, int h, int w) {
        if (src.height() == h && src.width() == w) {
            return src;
        }
        return bilinearWindow(src, h, w, 0, 0, h, w);
    }

    /**
     * Computes only a window of a bilinear resize: the result equals cropping {@code bilinear(src, h, w)}, but
     * costs only the window's pixels (a 2× upscale followed by a crop never builds the large image).
     *
     * @param src the image
     * @param h rows of the (virtual) resized image
     * @param w columns of the (virtual) resized image
     * @param top first row of the window
     * @param left first column of the window
     * @param wh window rows
     * @param ww window columns
     * @return the window
     */
    public static RgbImage bilinearWindow(RgbImage src, int h, int w, int top, int left, int wh, int ww) {
        int sh = src.height();
        int sw = src.width();
        // Precompute the two source columns and weights of every target column once.
        int[] x0 = new int[ww];
        int[] x1 = new int[ww];
        float[] fx = new float[ww];
        axis(sw, w, left, x0, x1, fx);
        int[] y0 = new int[wh];
        int[] y1 = new int[wh];
        float[] fy = new float[wh];
        axis(sh, h, top, y0, y1, fy);
        float[] s = src.data();
        float[] d = new float[3 * wh * ww];
        for (int c = 0; c < 3; c++) {
            int sp = c * sh * sw;
            int dp = c * wh * ww;
            for (int y = 0; y < wh; y++) {
                int r0 = sp + y0[y] * sw;
                int r1 = sp + y1[y] * sw;
                float wy = fy[y];
                int o = dp + y * ww;
                for (int x = 0; x < ww; x++) {
                    float a = s[r0 + x0[x]] + (s[r0 + x1[x]] - s[r0 + x0[x]]) * fx[x];
                    float b = s[r1 + x0[x]] + (s[r1 + x1[x]] - s[r1 + x0[x]]) * fx[x];
                    d[o + x] = a + (b - a) * wy;
                }
            }
        }
        return new RgbImage(wh, ww, d);
    }

    private static void axis(int srcLen, int dstLen, int first, int[] i0, int[] i1, float[] frac) {
        double scale = (double) srcLen / dstLen;
        for (int i = 0; i < i0.length; i++) {
            double p = (first + i + 0.5) * scale - 0.5;
            if (p < 0) {
                p = 0;
            }
            int a = (int) p;
            if (a > srcLen - 1) {
                a = srcLen - 1;
            }
            i0[i] = a;
            i1[i] = Math.min(a + 1, srcLen - 1);
            frac[i] = (float) (p - a);
        }
    }

    /**
     * Nearest-neighbour resize of a mask (labels are never blended).
     *
     * @param src the mask
     * @param h new rows
     * @param w new columns
     * @return the resized mask (the same object when the size is unchanged)
     */
    public static LabelMap nearest(LabelMap src, int h, int w) {
        if (src.height() == h && src.width() == w) {
            return src;
        }
        return nearestWindow(src, h, w, 0, 0, h, w);
    }

    /**
     * Computes only a window of a nearest-neighbour resize (equals cropping {@code nearest(src, h, w)}).
     *
     * @param src the mask
     * @param h rows of the (virtual) resized mask
     * @param w columns of the (virtual) resized mask
     * @param y0 first row of the window
     * @param x0 first column of the window
     * @param wh window rows
     * @param ww window columns
     * @return the window
     */
    public static LabelMap nearestWindow(LabelMap src, int h, int w, int y0, int x0, int wh, int ww) {
        int sh = src.height();
        int sw = src.width();
        int[] xs = new int[ww];
        for (int x = 0; x < ww; x++) {
            xs[x] = nearestIndex(x0 + x, sw, w);
        }
        byte[] s = src.labels();
        byte[] d = new byte[wh * ww];
        for (int y = 0; y < wh; y++) {
            int row = nearestIndex(y0 + y, sh, h) * sw;
            int o = y * ww;
            for (int x = 0; x < ww; x++) {
                d[o + x] = s[row + xs[x]];
            }
        }
        return new LabelMap(wh, ww, d);
    }

    /**
     * The source index a nearest-neighbour resize reads for a target index.
     *
     * @param i target index
     * @param srcLen source length
     * @param dstLen target length
     * @return the source index
     */
    public static int nearestIndex(int i, int srcLen, int dstLen) {
        return Math.min(srcLen - 1, (int) ((i + 0.5) * srcLen / dstLen));
    }
}
