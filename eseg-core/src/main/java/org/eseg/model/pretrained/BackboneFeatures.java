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
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.backbone.EfficientNetEncoder;
import org.eseg.model.backbone.Encoder;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.util.AtomicFiles;

/**
 * Runs an encoder on one image and writes its feature levels P1..P5 to an {@code .npz} file (float32,
 * NCHW, arrays named {@code P1} .. {@code P5}): a way to inspect or compare backbones.
 */
public final class BackboneFeatures {

    private BackboneFeatures() {}

    /**
     * Extracts P1..P5 (P2..P5 for ResNet-50) of an image and writes them.
     *
     * @param backbone the encoder to build
     * @param weights a backbone-weights file from {@link BackboneWeights#save}, or null for random weights
     *     (BN eps 1e-3)
     * @param image (1, 3, H, W), resized and normalised as the network expects
     * @param out the {@code .npz} file (written atomically)
     * @return the shapes written, P1 first
     * @throws IOException if a file cannot be read or written, naming it
     */
    public static List<Shape> extract(BackboneConfig backbone, Path weights, NDArray image, Path out)
            throws IOException {
        BatchNormSpec bn = weights == null ? BatchNormSpec.EFFICIENTNET : BackboneWeights.readInfo(weights).batchNorm();
        try (NDManager m = NDManager.newBaseManager()) {
            Encoder encoder = backbone.build(bn, EfficientNetEncoder.MAX_ENCODER_LEVEL, Encoder.FULL_STRIDE);
            encoder.setInitializer(new XavierInitializer(
                    XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
            encoder.initialize(m, DataType.FLOAT32, image.getShape());
            if (weights != null) {
                BackboneWeights.loadInto(encoder, backbone.name(), weights);
            }
            NDList levels = run(encoder, image);
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
    public static NDList run(Encoder encoder, NDArray image) {
        // Parameters require gradients; grad mode is per thread, so switch it off here.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        NDList levels = encoder.forward(new ParameterStore(image.getManager(), false), new NDList(image), false);
        for (int i = 0; i < levels.size(); i++) {
            levels.get(i).setName("P" + encoder.taps().get(i).level());
        }
        return levels;
    }
}
