package org.eseg.infer;

/**
 * Sliding-window inference settings (mmsegmentation's {@code mode='slide'}): windows of
 * {@code windowHeight × windowWidth} placed every {@code strideHeight × strideWidth} pixels, the last window of a
 * row or column moved back so that it ends at the image border. Where windows overlap their logits are averaged.
 * An image smaller than the window is run whole.
 *
 * @param windowHeight window rows
 * @param windowWidth window columns
 * @param strideHeight rows between window starts
 * @param strideWidth columns between window starts
 */
public record SlidingWindow(int windowHeight, int windowWidth, int strideHeight, int strideWidth) {

    /** Validates the sizes. */
    public SlidingWindow {
        if (windowHeight < 1 || windowWidth < 1) {
            throw new IllegalArgumentException("window must be at least 1x1, got " + windowHeight + "x" + windowWidth);
        }
        if (strideHeight < 1 || strideWidth < 1) {
            throw new IllegalArgumentException("stride must be at least 1x1, got " + strideHeight + "x" + strideWidth);
        }
        if (strideHeight > windowHeight || strideWidth > windowWidth) {
            throw new IllegalArgumentException("stride " + strideHeight + "x" + strideWidth
                    + " is larger than the window " + windowHeight + "x" + windowWidth + ": pixels would be skipped");
        }
    }

    /**
     * Where windows start along one axis (mmsegmentation's grid).
     *
     * @param length image rows or columns
     * @param window window length
     * @param stride stride
     * @return window starts; each window ends at {@code min(start + window, length)}
     */
    static int[] starts(int length, int window, int stride) {
        int grids = Math.max(length - window + stride - 1, 0) / stride + 1;
        int[] out = new int[grids];
        for (int i = 0; i < grids; i++) {
            int end = Math.min(i * stride + window, length);
            out[i] = Math.max(end - window, 0);
        }
        return out;
    }
}
