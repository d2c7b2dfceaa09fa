package org.eseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.UnaryOperator;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageTensors;

/**
 * Sliding-window segmentation that never holds a whole-image tensor, for large images: the windows are run one row
 * of windows after another, each on its own crop of the image, and their logits are summed into a buffer one window
 * tall; the rows no later window covers become labels at once. The result is that of {@link Inference#slide}
 * followed by the softmax (mean logits where windows overlap), for one scale and no flip; native memory is one
 * window's, Java memory the buffer (classes x window height x image width floats) and the labels.
 */
final class StreamingSlide {

    private final int classes;
    private final int height;
    private final int width;
    private final int rows;
    /** Per class, a ring of {@code rows} image rows: image row y is at ring row y % rows. */
    private final float[][] sum;
    private final int[] perRow;
    private final int[] perColumn;
    private final byte[] labels;
    private final float[] confidence;

    private StreamingSlide(int classes, int height, int width, SlidingWindow window, int[] ys, int[] xs) {
        this.classes = classes;
        this.height = height;
        this.width = width;
        this.rows = Math.min(window.windowHeight(), height);
        this.sum = new float[classes][rows * width];
        this.perRow = coverage(height, window.windowHeight(), ys);
        this.perColumn = coverage(width, window.windowWidth(), xs);
        this.labels = new byte[height * width];
        this.confidence = new float[height * width];
    }

    /**
     * Whether options are ones this path computes exactly: sliding windows at one scale of 1 without flip.
     *
     * @param options the options
     * @return true if {@link #segment} applies
     */
    static boolean applies(InferenceOptions options) {
        return options.window() != null && options.scales().equals(List.of(1.0)) && !options.flip();
    }

    /**
     * Segments an image window by window.
     *
     * @param network maps (1, 3, h, w) normalised images to (1, C, h, w) logits
     * @param image RGB in [0, 255]
     * @param window the windows
     * @param manager parent of one sub-manager per window
     * @return labels (the first class on ties) and softmax confidences
     */
    static Segmentation segment(UnaryOperator<NDArray> network, RgbImage image, SlidingWindow window,
            NDManager manager) {
        int h = image.height();
        int w = image.width();
        int[] ys = SlidingWindow.starts(h, window.windowHeight(), window.strideHeight());
        int[] xs = SlidingWindow.starts(w, window.windowWidth(), window.strideWidth());
        StreamingSlide s = null;
        int done = 0; // rows [0, done) are labelled
        for (int y1 : ys) {
            int y2 = Math.min(y1 + window.windowHeight(), h);
            if (s != null) {
                s.finish(done, y1);
                done = y1;
            }
            for (int x1 : xs) {
                int x2 = Math.min(x1 + window.windowWidth(), w);
                try (NDManager m = manager.newSubManager()) {
                    NDArray logits = network.apply(ImageTensors.input(crop(image, y1, y2, x1, x2), m));
                    if (s == null) {
                        s = new StreamingSlide(Math.toIntExact(logits.getShape().get(1)), h, w, window, ys, xs);
                    }
                    s.add(logits.toFloatArray(), y1, y2, x1, x2);
                }
            }
        }
        s.finish(done, h);
        return new Segmentation(h, w, s.labels, s.confidence);
    }

    /** How many windows cover each position along one axis. */
    private static int[] coverage(int length, int window, int[] starts) {
        int[] n = new int[length];
        for (int start : starts) {
            for (int i = start; i < Math.min(start + window, length); i++) {
                n[i]++;
            }
        }
        return n;
    }

    private static RgbImage crop(RgbImage image, int y1, int y2, int x1, int x2) {
        int h = y2 - y1;
        int w = x2 - x1;
        float[] out = new float[3 * h * w];
        float[] in = image.data();
        int plane = image.height() * image.width();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(in, c * plane + (y1 + y) * image.width() + x1, out, (c * h + y) * w, w);
            }
        }
        return new RgbImage(h, w, out);
    }

    /** Adds a window's (1, C, h, w) logits at its place. */
    private void add(float[] logits, int y1, int y2, int x1, int x2) {
        int h = y2 - y1;
        int w = x2 - x1;
        for (int c = 0; c < classes; c++) {
            float[] ring = sum[c];
            for (int y = 0; y < h; y++) {
                int from = (c * h + y) * w;
                int to = ((y1 + y) % rows) * width + x1;
                for (int x = 0; x < w; x++) {
                    ring[to + x] += logits[from + x];
                }
            }
        }
    }

    /** Labels rows [from, to) from their mean logits and clears their ring rows for the windows below. */
    private void finish(int from, int to) {
        float[] mean = new float[classes];
        for (int y = from; y < to; y++) {
            int ring = (y % rows) * width;
            for (int x = 0; x < width; x++) {
                float count = perRow[y] * perColumn[x];
                int best = 0;
                for (int c = 0; c < classes; c++) {
                    mean[c] = sum[c][ring + x] / count;
                    sum[c][ring + x] = 0;
                    if (mean[c] > mean[best]) {
                        best = c;
                    }
                }
                double total = 0;
                for (int c = 0; c < classes; c++) {
                    total += Math.exp(mean[c] - mean[best]);
                }
                labels[y * width + x] = (byte) best;
                confidence[y * width + x] = (float) (1 / total);
            }
        }
    }
}
