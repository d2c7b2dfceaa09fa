package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Spatial resizing of NCHW maps through libtorch's interpolate. */
public final class Resize {

    private static final int NEAREST = 0;
    private static final int BILINEAR = 1;

    private Resize() {}

    /**
     * Nearest-neighbour resize.
     *
     * @param x (N, C, H, W)
     * @param h target height
     * @param w target width
     * @return (N, C, h, w); x itself when the size already matches
     */
    public static NDArray nearest(NDArray x, long h, long w) {
        return resize(x, h, w, NEAREST);
    }

    /**
     * Bilinear resize with {@code align_corners=False} semantics. Use it for upsampling: libtorch's
     * bilinear downsampling through DJL is antialiased.
     *
     * @param x (N, C, H, W)
     * @param h target height
     * @param w target width
     * @return (N, C, h, w); x itself when the size already matches
     */
    public static NDArray bilinear(NDArray x, long h, long w) {
        return resize(x, h, w, BILINEAR);
    }

    /**
     * Nearest-neighbour resize to another map's spatial size.
     *
     * @param x (N, C, H, W)
     * @param like a map of the target size
     * @return x resized to like's H and W
     */
    public static NDArray nearestLike(NDArray x, NDArray like) {
        Shape s = like.getShape();
        return nearest(x, s.get(2), s.get(3));
    }

    private static NDArray resize(NDArray x, long h, long w, int mode) {
        Shape s = x.getShape();
        if (s.get(2) == h && s.get(3) == w) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {h, w}, mode, false);
    }
}
