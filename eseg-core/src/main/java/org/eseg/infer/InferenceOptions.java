package org.eseg.infer;

import java.util.List;

/**
 * How the network is run over one image: test-time augmentation (scales and horizontal flip) and whole-image or
 * sliding-window inference.
 *
 * <p>For each scale s the image is resized to {@code round(s·H) × round(s·W)} (bilinear), run (whole or by
 * sliding windows; with {@code flip} also mirrored, and the result mirrored back), the logits are resized back to
 * H × W (bilinear) and turned into softmax probabilities; the probabilities of all runs are averaged, as
 * mmsegmentation's {@code aug_test} does. Resizing uses libtorch's bilinear interpolation with
 * {@code align_corners=False}; through DJL, <em>downsampling</em> (scales below 1 for the image, above 1 for the
 * logits) is antialiased, unlike OpenCV's resize in mmsegmentation: a slightly smoother input, a small difference
 * in the scores.
 *
 * <p>{@link #DEFAULT} (scale 1, no flip, whole image) is the paper's evaluation protocol and gives exactly the
 * plain single-pass probabilities.
 *
 * @param scales image scales, each in (0, 8]; at least one
 * @param flip also run the mirrored image
 * @param window sliding-window settings, or null for whole-image inference
 */
public record InferenceOptions(List<Double> scales, boolean flip, SlidingWindow window) {

    /** Single scale, no flip, whole image. */
    public static final InferenceOptions DEFAULT = new InferenceOptions(List.of(1.0), false, null);

    /** The largest scale accepted. */
    public static final double MAX_SCALE = 8;

    /** Validates and copies the scales. */
    public InferenceOptions {
        if (scales == null || scales.isEmpty()) {
            throw new IllegalArgumentException("at least one scale is needed");
        }
        for (Double s : scales) {
            if (s == null || !(s > 0 && s <= MAX_SCALE)) {
                throw new IllegalArgumentException("scales must be in (0, " + MAX_SCALE + "], got " + s);
            }
        }
        scales = List.copyOf(scales);
    }

    /**
     * The self-training teacher's setting (docs/design.md section 2): scales 0.5, 1.0, 2.0 and flip, whole image.
     *
     * @return the options
     */
    public static InferenceOptions multiScaleFlip() {
        return new InferenceOptions(List.of(0.5, 1.0, 2.0), true, null);
    }

    /**
     * Test-time augmentation with whole-image inference.
     *
     * @param scales image scales
     * @param flip also run the mirrored image
     * @return the options
     */
    public static InferenceOptions tta(List<Double> scales, boolean flip) {
        return new InferenceOptions(scales, flip, null);
    }

    /**
     * The same augmentation with sliding windows.
     *
     * @param window the windows, or null for whole-image inference
     * @return new options
     */
    public InferenceOptions withWindow(SlidingWindow window) {
        return new InferenceOptions(scales, flip, window);
    }

    /**
     * How many network runs one image takes (not counting sliding windows).
     *
     * @return scales × (flip ? 2 : 1)
     */
    public int passes() {
        return scales.size() * (flip ? 2 : 1);
    }

    /**
     * The size an image dimension has at a scale.
     *
     * @param length rows or columns
     * @param scale the scale
     * @return {@code max(1, round(length · scale))}
     */
    public static int scaled(int length, double scale) {
        return (int) Math.max(1, Math.round(length * scale));
    }
}
