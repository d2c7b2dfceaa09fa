package org.eseg.cli;

import java.util.List;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.SlidingWindow;
import org.eseg.util.ImageSize;
import picocli.CommandLine.Option;

/** The test-time augmentation and window options shared by eval, predict and pseudo-label. */
final class InferenceOptionsMixin {

    /** Whole-image or sliding-window inference. */
    enum Mode { WHOLE, SLIDE }

    @Option(names = "--scales", paramLabel = "S,S,...", split = ",",
            description = "Image scales averaged at test time (default: the command's; e.g. 0.5,1.0,2.0).")
    List<Double> scales;

    @Option(names = "--flip", description = "Also run the mirrored image and average (test-time flip).")
    boolean flip;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "whole",
            description = "whole (one pass over the image, default) or slide (overlapping windows, logits averaged).")
    Mode mode;

    @Option(names = "--window", paramLabel = "HxW", converter = ImageSizeConverter.class,
            description = "Sliding-window size (--mode slide), e.g. 1024x1024.")
    ImageSize window;

    @Option(names = "--stride", paramLabel = "HxW", converter = ImageSizeConverter.class,
            description = "Sliding-window stride (--mode slide; default two thirds of the window).")
    ImageSize stride;

    /**
     * The options; bad combinations are usage errors.
     *
     * @param defaultScales the scales when --scales is not given
     * @return the options
     */
    InferenceOptions get(List<Double> defaultScales) {
        SlidingWindow slide = null;
        if (mode == Mode.SLIDE) {
            if (window == null) {
                throw new IllegalArgumentException("--mode slide needs --window HxW");
            }
            ImageSize s = stride != null ? stride
                    : new ImageSize(Math.max(1, window.height() * 2 / 3), Math.max(1, window.width() * 2 / 3));
            slide = new SlidingWindow(window.height(), window.width(), s.height(), s.width());
        } else if (window != null || stride != null) {
            throw new IllegalArgumentException("--window and --stride need --mode slide");
        }
        try {
            return new InferenceOptions(scales == null ? defaultScales : scales, flip, slide);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scales: " + e.getMessage(), e);
        }
    }

    /**
     * A short description for reports.
     *
     * @param o the options
     * @return for example {@code "scales [0.5, 1.0, 2.0], flip, whole image"}
     */
    static String describe(InferenceOptions o) {
        String mode = o.window() == null ? "whole image"
                : "slide " + o.window().windowHeight() + "x" + o.window().windowWidth() + " stride "
                        + o.window().strideHeight() + "x" + o.window().strideWidth();
        return "scales " + o.scales() + (o.flip() ? ", flip, " : ", no flip, ") + mode;
    }
}
