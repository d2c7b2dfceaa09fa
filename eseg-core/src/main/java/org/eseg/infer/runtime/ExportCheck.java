package org.eseg.infer.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.eseg.model.EsegModel;
import org.eseg.util.ImageSize;

/**
 * Checks an exported network against the model it came from: the unfolded DJL model and the export's
 * runtime (ONNX Runtime for .onnx, DJL's PyTorch engine for TorchScript) run the same random image, and
 * the logits are compared.
 */
public final class ExportCheck {

    private ExportCheck() {}

    /**
     * How close two runtimes' logits are.
     *
     * @param maxAbsDiff largest absolute logit difference
     * @param argmaxAgreement share of pixels with the same predicted class
     * @param maxAbsLogit largest absolute reference logit (for scale)
     */
    public record Parity(double maxAbsDiff, double argmaxAgreement, double maxAbsLogit) {}

    /**
     * Runs the model and an ONNX file on one random image and compares them.
     *
     * @param model the source model
     * @param onnxFile the exported file
     * @param size the image size to test at
     * @param seed seed of the random image (normal noise, like a normalised photo)
     * @return the comparison
     * @throws IOException if the file cannot be loaded, naming it
     */
    public static Parity compare(EsegModel model, Path onnxFile, ImageSize size, long seed) throws IOException {
        return compare(model, onnxFile, size, 1, seed);
    }

    /**
     * Runs the model and an ONNX file on a random batch and compares them.
     *
     * @param model the source model
     * @param onnxFile the exported file
     * @param size the image size to test at
     * @param batch images in the batch
     * @param seed seed of the random images
     * @return the comparison
     * @throws IOException if the file cannot be loaded, naming it
     */
    public static Parity compare(EsegModel model, Path onnxFile, ImageSize size, int batch, long seed)
            throws IOException {
        try (SegmentationRuntime ort = OrtRuntime.open(onnxFile, RuntimeOptions.DEFAULT)) {
            return compare(model, ort, randomImages(batch, size, seed));
        }
    }

    /**
     * Runs the model and another runtime of it on one random image and compares them.
     *
     * @param model the source model
     * @param candidate the runtime under test (not closed)
     * @param size the image size to test at
     * @param seed seed of the random image (normal noise, like a normalised photo)
     * @return the comparison
     */
    public static Parity compare(EsegModel model, SegmentationRuntime candidate, ImageSize size, long seed) {
        return compare(model, candidate, randomImage(size, seed));
    }

    private static Parity compare(EsegModel model, SegmentationRuntime candidate, FloatTensor images) {
        FloatTensor expected;
        try (SegmentationRuntime djl = new EagerDjlRuntime(model, RuntimeOptions.DEFAULT)) {
            expected = djl.logits(images);
        }
        return compare(expected, candidate.logits(images));
    }

    /**
     * Compares two logit tensors of one shape.
     *
     * @param expected reference logits
     * @param actual logits under test
     * @return the comparison
     */
    public static Parity compare(FloatTensor expected, FloatTensor actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new IllegalArgumentException("shapes differ: " + java.util.Arrays.toString(expected.shape())
                    + " vs " + java.util.Arrays.toString(actual.shape()));
        }
        double diff = 0;
        double max = 0;
        float[] a = expected.data();
        float[] b = actual.data();
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            max = Math.max(max, Math.abs(a[i]));
        }
        int[] ea = expected.argmax();
        int[] aa = actual.argmax();
        int same = 0;
        for (int i = 0; i < ea.length; i++) {
            same += ea[i] == aa[i] ? 1 : 0;
        }
        return new Parity(diff, same / (double) ea.length, max);
    }

    /**
     * A batch of one image of standard-normal noise.
     *
     * @param size H×W
     * @param seed the seed
     * @return (1, 3, H, W)
     */
    public static FloatTensor randomImage(ImageSize size, long seed) {
        return randomImages(1, size, seed);
    }

    /**
     * A batch of standard-normal noise images.
     *
     * @param batch N
     * @param size H×W
     * @param seed the seed
     * @return (N, 3, H, W)
     */
    public static FloatTensor randomImages(int batch, ImageSize size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] data = new float[batch * 3 * size.height() * size.width()];
        for (int i = 0; i < data.length; i++) {
            // Box-Muller would be exact; a sum of uniforms is close enough for test images.
            data[i] = (float) ((rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 1.5) * 2);
        }
        return new FloatTensor(data, new long[] {batch, 3, size.height(), size.width()});
    }
}
