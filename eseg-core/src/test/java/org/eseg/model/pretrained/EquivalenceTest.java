package org.eseg.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.backbone.Encoder;
import org.junit.jupiter.api.Test;

/** Our encoder with imported torchvision / timm weights reproduces torchvision's P1..P5. */
class EquivalenceTest {

    /** Runs the fixture input through an encoder and checks every level against the reference. */
    static void assertMatchesReference(Encoder encoder, NDManager m, String label) throws IOException {
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        Map<String, NDArray> ref = Fixtures.read(Fixtures.reference(), m);
        NDList out = encoder.forward(new ParameterStore(m, false), new NDList(ref.get("input")), false);
        assertEquals(5, out.size());
        for (int level = 1; level <= 5; level++) {
            NDArray a = out.get(level - 1);
            NDArray b = ref.get("P" + level);
            assertEquals(b.getShape(), a.getShape(), "P" + level);
            float maxAbs = a.sub(b).abs().max().getFloat();
            float scale = b.abs().max().getFloat();
            System.out.printf(Locale.ROOT, "%s P%d: max abs diff %.3g, relative to max|ref| %.3g%n",
                    label, level, maxAbs, maxAbs / scale);
            assertTrue(maxAbs <= 1e-3f * scale + 1e-4f,
                    label + " P" + level + ": max abs diff " + maxAbs + " (max |ref| " + scale + ")");
        }
    }

    private static void check(Path file, WeightLayout layout) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            BackboneConfig b0 = BackboneConfig.efficientNet(0);
            ImportedBackbone imported =
                    BackboneWeights.importFrom(file, layout, b0, layout.defaultBatchNormEps(b0), m);
            ImportReport r = imported.report();
            assertEquals(1e-5, r.batchNormEps());
            assertEquals(360 - 49 - 7, r.loaded());
            assertEquals(49, r.ignored());
            assertEquals(7, r.leftOut().size(), r.leftOut().toString());
            assertMatchesReference(imported.encoder(), m, layout.name());
        }
    }

    @Test
    void torchvisionWeightsReproduceTorchvisionFeatures() throws IOException {
        check(Fixtures.torchvision(), WeightLayout.TORCHVISION);
    }

    @Test
    void timmWeightsReproduceTorchvisionFeatures() throws IOException {
        check(Fixtures.timm(), WeightLayout.TIMM);
    }

    @Test
    void batchNormEpsOfTheSourceMatters() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Encoder wrongEps = BackboneWeights.importFrom(Fixtures.torchvision(), WeightLayout.TORCHVISION,
                    BackboneConfig.efficientNet(0), 1e-3, m).encoder();
            assertThrows(AssertionError.class, () -> assertMatchesReference(wrongEps, m, "eps 1e-3"));
        }
    }

    @Test
    void leftOutAreHeadAndClassifier() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            BackboneConfig b0 = BackboneConfig.efficientNet(0);
            List<String> tv = BackboneWeights.importFrom(Fixtures.torchvision(), WeightLayout.TORCHVISION, b0, 1e-5, m)
                    .report().leftOut();
            assertEquals(List.of("classifier.1.bias", "classifier.1.weight", "features.8.0.weight",
                    "features.8.1.bias", "features.8.1.running_mean", "features.8.1.running_var",
                    "features.8.1.weight"), tv.stream().sorted().toList());
            List<String> timm = BackboneWeights.importFrom(Fixtures.timm(), WeightLayout.TIMM, b0, 1e-5, m)
                    .report().leftOut();
            assertEquals(List.of("bn2.bias", "bn2.running_mean", "bn2.running_var", "bn2.weight",
                    "classifier.bias", "classifier.weight", "conv_head.weight"), timm.stream().sorted().toList());
        }
    }
}
