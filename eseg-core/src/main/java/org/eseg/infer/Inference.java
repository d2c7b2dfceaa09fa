package org.eseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;
import org.eseg.model.EsegModel;
import org.eseg.model.layers.Resize;
import org.eseg.util.NoGrad;

/**
 * Inference with a DJL model: plain logits, sliding windows, and test-time augmentation (see
 * {@link InferenceOptions}). Every method turns autograd off for the calling thread while it runs.
 */
public final class Inference {

    private Inference() {}

    /**
     * Logits for a batch, in inference mode.
     *
     * @param model the model
     * @param images (N, 3, H, W) normalised
     * @return (N, classes, H, W), owned by the images' manager
     */
    public static NDArray logits(EsegModel model, NDArray images) {
        // No autograd graph: parameters require gradients, and recording one is slower and holds memory.
        try (NoGrad g = NoGrad.enter()) {
            return model.forward(new ParameterStore(images.getManager(), false), new NDList(images), false).head();
        }
    }

    /**
     * Averaged softmax probabilities under test-time augmentation, whole-image or by sliding windows.
     *
     * @param model the model
     * @param images (N, 3, H, W) normalised
     * @param options scales, flip and window
     * @return (N, classes, H, W) probabilities, owned by the images' manager
     */
    public static NDArray probabilities(EsegModel model, NDArray images, InferenceOptions options) {
        try (NoGrad g = NoGrad.enter()) {
            return probabilities(x -> logits(model, x), images, options);
        }
    }

    /**
     * Averaged softmax probabilities of any network that maps (N, 3, h, w) images to (N, C, h, w) logits.
     *
     * <p>For each scale: resize the images, run the network (and, with flip, the mirrored images, mirroring the
     * result back), resize the logits to H × W, softmax. The result is the mean of these probability maps. Each
     * flip pair is summed before it is added to the total, so that mirroring the input mirrors the output exactly.
     *
     * @param network the network
     * @param images (N, 3, H, W) normalised
     * @param options scales, flip and window
     * @return (N, C, H, W) probabilities
     */
    public static NDArray probabilities(UnaryOperator<NDArray> network, NDArray images, InferenceOptions options) {
        Shape s = images.getShape();
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        NDArray sum = null;
        for (double scale : options.scales()) {
            NDArray x = Resize.bilinear(images, InferenceOptions.scaled(h, scale), InferenceOptions.scaled(w, scale));
            NDArray p = scaledProbabilities(network, x, options.window(), h, w);
            if (options.flip()) {
                NDArray mirrored = scaledProbabilities(network, x.flip(3), options.window(), h, w).flip(3);
                p = p.add(mirrored);
            }
            sum = sum == null ? p : sum.add(p);
        }
        int passes = options.passes();
        return passes == 1 ? sum : sum.div(passes);
    }

    private static NDArray scaledProbabilities(
            UnaryOperator<NDArray> network, NDArray x, SlidingWindow window, int h, int w) {
        NDArray logits = window == null ? network.apply(x) : slide(network, x, window);
        return Resize.bilinear(logits, h, w).softmax(1);
    }

    /**
     * Sliding-window logits (mmsegmentation's {@code slide_inference}): each window is run on its own, its logits
     * are added into a full-size map at the window's place (zero elsewhere), and every pixel is divided by the
     * number of windows that covered it.
     *
     * @param network maps (N, 3, h, w) images to (N, C, h, w) logits
     * @param images (N, 3, H, W)
     * @param window the windows
     * @return (N, C, H, W) logits
     */
    public static NDArray slide(UnaryOperator<NDArray> network, NDArray images, SlidingWindow window) {
        Shape s = images.getShape();
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        int[] ys = SlidingWindow.starts(h, window.windowHeight(), window.strideHeight());
        int[] xs = SlidingWindow.starts(w, window.windowWidth(), window.strideWidth());
        if (ys.length == 1 && xs.length == 1) {
            return network.apply(images); // one window covering the image
        }
        NDManager m = images.getManager();
        NDArray sum = null;
        NDArray count = m.zeros(new Shape(1, 1, h, w));
        for (int y1 : ys) {
            int y2 = Math.min(y1 + window.windowHeight(), h);
            for (int x1 : xs) {
                int x2 = Math.min(x1 + window.windowWidth(), w);
                NDIndex at = new NDIndex(":, :, {}:{}, {}:{}", y1, y2, x1, x2);
                NDArray logits = network.apply(images.get(at));
                if (sum == null) {
                    sum = m.zeros(new Shape(s.get(0), logits.getShape().get(1), h, w));
                }
                sum.set(at, sum.get(at).add(logits));
                count.set(at, count.get(at).add(1));
            }
        }
        return sum.div(count);
    }
}
