package org.eseg.model.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eseg.data.io.ImageTensors;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.backbone.EfficientNetEncoder;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.Resize;
import org.eseg.util.AtomicFiles;
import org.eseg.util.ImageSize;

/**
 * Runs an encoder on one image and writes its feature levels P1..P5 to an {@code .npz} file (float32,
 * NCHW, arrays named {@code P1} .. {@code P5}): a way to inspect or compare backbones.
 */
public final class BackboneFeatures {

    private BackboneFeatures() {}

    /**
     * Extracts P1..P5 of an image and writes them.
     *
     * @param backbone the encoder to build
     * @param weights a backbone-weights file from {@link BackboneWeights#save}, or null for random weights
     *     (BN eps 1e-3)
     * @param image the image file
     * @param input the network input size, or null for the image's own size
     * @param out the {@code .npz} file (written atomically)
     * @return the shapes written, P1 first
     * @throws IOException if a file cannot be read or written, naming it
     * @throws org.eseg.data.DataException if the image cannot be read, naming it
     */
    public static List<Shape> extract(BackboneConfig backbone, Path weights, Path image, ImageSize input, Path out)
            throws IOException {
        BatchNormSpec bn = weights == null ? BatchNormSpec.EFFICIENTNET : BackboneWeights.readInfo(weights).batchNorm();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ImageTensors.read(image, m);
            long h = input == null ? x.getShape().get(2) : input.height();
            long w = input == null ? x.getShape().get(3) : input.width();
            if (h != x.getShape().get(2) || w != x.getShape().get(3)) {
                x = Resize.bilinear(x, h, w);
            }
            EfficientNetEncoder encoder = new EfficientNetEncoder(backbone, bn, EfficientNetEncoder.MAX_ENCODER_LEVEL);
            encoder.setInitializer(new XavierInitializer(
                    XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
            encoder.initialize(m, DataType.FLOAT32, new Shape(1, 3, h, w));
            if (weights != null) {
                BackboneWeights.loadInto(encoder, weights);
            }
            NDList levels = run(encoder, x);
            AtomicFiles.write(out, o -> levels.encode(o, NDList.Encoding.NPZ));
            List<Shape> shapes = new ArrayList<>();
            levels.forEach(a -> shapes.add(a.getShape()));
            return shapes;
        }
    }

    /**
     * An inference pass of the encoder, outputs named {@code P1}, {@code P2}, ... by level.
     *
     * @param encoder an initialised encoder
     * @param image (N, 3, H, W) normalised input
     * @return the named levels, P1 first
     */
    public static NDList run(EfficientNetEncoder encoder, NDArray image) {
        // Parameters require gradients; grad mode is per thread, so switch it off here.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        NDList levels = encoder.forward(new ParameterStore(image.getManager(), false), new NDList(image), false);
        for (int i = 0; i < levels.size(); i++) {
            levels.get(i).setName("P" + encoder.taps().get(i).level());
        }
        return levels;
    }
}
