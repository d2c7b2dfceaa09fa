package org.eseg.infer;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.awt.image.BufferedImage;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.io.ImageTensors;

/**
 * A DJL translator from an {@link Image} to a {@link Segmentation}, for a model whose block is a
 * {@link SegmentationBlock} (see {@link Segmenter#djlModel}). Input: the image as RGB (grayscale and alpha are
 * converted as {@link ImageFiles#toRgb} does), ImageNet-normalised, shape (1, 3, H, W), any size. Output: the
 * most probable class of each pixel and its probability. No batchifier: images of different sizes are run one by
 * one.
 */
public final class SegmenterTranslator implements Translator<Image, Segmentation> {

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(ImageTensors.input(toRgb(input, ctx), ctx.getNDManager()));
    }

    @Override
    public Segmentation processOutput(TranslatorContext ctx, NDList list) {
        return Segmentation.fromProbabilities(list.head());
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }

    private static RgbImage toRgb(Image input, TranslatorContext ctx) {
        if (input.getWrappedImage() instanceof BufferedImage b) {
            return ImageFiles.toRgb(b, null);
        }
        // Another image factory: (H, W, 3) uint8 in RGB order.
        NDArray hwc = input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR);
        float[] planar = hwc.transpose(2, 0, 1).toType(DataType.FLOAT32, false).toFloatArray();
        return new RgbImage(input.getHeight(), input.getWidth(), planar);
    }
}
