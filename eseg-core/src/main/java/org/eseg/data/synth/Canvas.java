package org.eseg.data.synth;

/** A planar float RGB image with a label id per pixel, painted back to front. */
final class Canvas {

    final int h;
    final int w;
    final float[] r;
    final float[] g;
    final float[] b;
    final byte[] label;

    Canvas(int h, int w) {
        this.h = h;
        this.w = w;
        this.r = new float[h * w];
        this.g = new float[h * w];
        this.b = new float[h * w];
        this.label = new byte[h * w];
    }

    void set(int x, int y, int labelId, float red, float green, float blue) {
        int i = y * w + x;
        r[i] = red;
        g[i] = green;
        b[i] = blue;
        label[i] = (byte) labelId;
    }

    void set(int x, int y, int labelId, float[] rgb, float shade) {
        set(x, y, labelId, rgb[0] * shade, rgb[1] * shade, rgb[2] * shade);
    }

    /** Paints the pixels inside an axis-aligned box (clipped), with per-pixel colour from a painter. */
    void box(double x0, double y0, double x1, double y1, int labelId, Painter p) {
        int xa = Math.max(0, (int) Math.round(x0));
        int xb = Math.min(w, (int) Math.round(x1));
        int ya = Math.max(0, (int) Math.round(y0));
        int yb = Math.min(h, (int) Math.round(y1));
        for (int y = ya; y < yb; y++) {
            for (int x = xa; x < xb; x++) {
                p.paint(x, y, labelId);
            }
        }
    }

    /** Paints the pixels inside an ellipse (clipped). */
    void ellipse(double cx, double cy, double rx, double ry, int labelId, Painter p) {
        int xa = Math.max(0, (int) Math.floor(cx - rx));
        int xb = Math.min(w - 1, (int) Math.ceil(cx + rx));
        int ya = Math.max(0, (int) Math.floor(cy - ry));
        int yb = Math.min(h - 1, (int) Math.ceil(cy + ry));
        for (int y = ya; y <= yb; y++) {
            double dy = (y + 0.5 - cy) / ry;
            for (int x = xa; x <= xb; x++) {
                double dx = (x + 0.5 - cx) / rx;
                if (dx * dx + dy * dy <= 1) {
                    p.paint(x, y, labelId);
                }
            }
        }
    }

    /** Computes a pixel's colour and paints it. */
    @FunctionalInterface
    interface Painter {
        void paint(int x, int y, int labelId);
    }
}
