package org.eseg.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.backbone.EfficientNetEncoder;
import org.eseg.model.backbone.Encoder;
import org.eseg.model.io.ParameterNames;
import org.eseg.model.layers.BatchNormSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved backbone-weights file round-trips into an encoder and into a model's backbone. */
class SavedBackboneTest {

    @TempDir
    static Path dir;

    /** Imported and saved once: the file is only read by the tests. */
    private static Path file;

    /** ESeg-S with a short pyramid: the backbone is what matters here, and it keeps the test fast. */
    private static EsegConfig small() {
        return EsegVariants.byName("eseg-s").withLevels(2, 5);
    }

    private static Path saved(NDManager m) throws IOException {
        if (file != null) {
            return file;
        }
        BackboneConfig b0 = BackboneConfig.efficientNet(0);
        ImportedBackbone imported = BackboneWeights.importFrom(Fixtures.timm(), WeightLayout.TIMM, b0, 1e-5, m);
        file = dir.resolve("b0.weights");
        BackboneWeights.save(imported, "timm:timm_b0_fp16.safetensors", file);
        return file;
    }

    @Test
    void savedFileReproducesTheReferenceFeatures() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path weights = saved(m);
            BackboneWeightsInfo info = BackboneWeights.readInfo(weights);
            assertEquals("efficientnet-b0", info.backbone());
            assertEquals(1e-5, info.batchNormEps());
            assertEquals("timm:timm_b0_fp16.safetensors", info.source());
            EfficientNetEncoder encoder = new EfficientNetEncoder(BackboneConfig.efficientNet(0), info.batchNorm(), 5);
            encoder.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 96));
            BackboneWeights.loadInto(encoder, weights);
            EquivalenceTest.assertMatchesReference(encoder, m, "saved");
        }
    }

    @Test
    void loadsIntoTheBackboneOfAnEsegModel() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path weights = saved(m);
            EsegConfig config = small().withBackbone(BackboneConfig.efficientNet(0))
                    .withBatchNorm(BackboneWeights.readInfo(weights).batchNorm());
            EsegModel model = EsegModel.create(config);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            BackboneWeights.loadInto(model, weights);
            Encoder reference = BackboneWeights.importFrom(
                    Fixtures.timm(), WeightLayout.TIMM, BackboneConfig.efficientNet(0), 1e-5, m).encoder();
            var loaded = ParameterNames.of(model);
            ParameterNames.of(reference).forEach((name, p) -> assertArrayEquals(p.getArray().toFloatArray(),
                    loaded.get("backbone." + name).getArray().toFloatArray(), name));
        }
    }

    @Test
    void otherBackboneOrEpsIsRefused() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path weights = saved(m);
            EsegModel b1 = EsegModel.create(small()
                    .withBatchNorm(new BatchNormSpec(1e-5, 0.01)));
            b1.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BackboneWeights.loadInto(b1, weights));
            assertTrue(e.getMessage().contains("efficientnet-b0") && e.getMessage().contains("efficientnet-b1"),
                    e.getMessage());
            EsegModel eps3 = EsegModel.create(small().withBackbone(BackboneConfig.efficientNet(0)));
            eps3.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            e = assertThrows(IllegalArgumentException.class, () -> BackboneWeights.loadInto(eps3, weights));
            assertTrue(e.getMessage().contains("eps"), e.getMessage());
        }
    }

    @Test
    void truncatedSavedFileIsNamed() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            byte[] all = Files.readAllBytes(saved(m));
            Path cut = dir.resolve("cut.weights");
            Files.write(cut, Arrays.copyOf(all, all.length / 2));
            IOException e = assertThrows(IOException.class, () -> BackboneWeights.readInfo(cut));
            assertTrue(e.getMessage().contains("cut.weights"), e.getMessage());
        }
    }
}
