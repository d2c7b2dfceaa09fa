package org.eseg.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.backbone.Encoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision's ResNet-50 state dict imported with the torchvision layout reproduces torchvision's P2..P5.
 * The weights are too large to commit: both tools/fixtures/make_resnet50_fixture.py and {@link #pattern}
 * compute them from each tensor's position in the state dict, and the committed fixture holds torchvision's
 * tensor names and shapes and its features for one input.
 */
class ResNetImportTest {

    @TempDir
    static Path dir;

    private static Path stateDict;

    private static Path fixture(String name) {
        try {
            return Path.of(ResNetImportTest.class.getResource("/fixtures/resnet50/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture's 10-bit pseudo-random values k/512 (k in -512..511) of one tensor. */
    static float[] uniform(long tensorIndex, int n) {
        long m = 0xFFFFFFFFL;
        long t = tensorIndex & m;
        float[] u = new float[n];
        for (int i = 0; i < n; i++) {
            long h = ((long) i * 0x9E3779B1L + t * 0x85EBCA77L + 0x165667B1L) & m;
            h ^= h >>> 15;
            h = (h * 0x2C1B3C6DL) & m;
            h ^= h >>> 12;
            h = (h * 0x297A2D39L) & m;
            h ^= h >>> 15;
            u[i] = ((int) (h >>> 22) - 512) / 512f;
        }
        return u;
    }

    /** The value of one state-dict tensor, as the fixture script's {@code pattern_value}. */
    static float[] pattern(String name, long[] shape, int tensorIndex) {
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = uniform(tensorIndex, n);
        float scale;
        float offset = 0;
        if (name.endsWith("running_var")) {
            scale = 0.5f;
            offset = 1;
        } else if (name.endsWith("running_mean") || name.endsWith(".bias")) {
            scale = 0.125f;
        } else if (shape.length == 1) {
            scale = 0.25f;
            offset = 1;
        } else {
            long fanIn = n / shape[0];
            scale = (float) Math.pow(2, Math.rint(Math.log(Math.sqrt(3.0 / fanIn)) / Math.log(2)));
        }
        for (int i = 0; i < n; i++) {
            v[i] = offset + v[i] * scale;
        }
        return v;
    }

    @BeforeAll
    static void writeStateDict() throws IOException {
        List<String> lines = Files.readAllLines(fixture("torchvision_names.txt"));
        stateDict = dir.resolve("resnet50.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (int t = 0; t < lines.size(); t++) {
                String[] f = lines.get(t).split("\t", -1);
                long[] shape = f[2].isEmpty() ? new long[0] : Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
                tensors.put(f[0], f[1].equals("int64") ? m.create(0L)
                        : m.create(pattern(f[0], shape, t), new Shape(shape)));
            }
            Fixtures.writeSafetensors(tensors, stateDict);
        }
    }

    private static double worstRelativeDiff(Encoder encoder, NDManager m, String label) throws IOException {
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        Map<String, NDArray> ref = Fixtures.read(fixture("reference_features.safetensors"), m);
        NDList out = encoder.forward(new ParameterStore(m, false), new NDList(ref.get("input")), false);
        assertEquals(4, out.size());
        double worst = 0;
        for (int level = 2; level <= 5; level++) {
            NDArray a = out.get(level - 2);
            NDArray b = ref.get("P" + level);
            assertEquals(b.getShape(), a.getShape(), "P" + level);
            double rel = a.sub(b).abs().max().getFloat() / b.abs().max().getFloat();
            System.out.printf(Locale.ROOT, "%s P%d: max abs diff relative to max|ref| %.3g%n", label, level, rel);
            worst = Math.max(worst, rel);
        }
        return worst;
    }

    @Test
    void torchvisionResNet50ReproducesTorchvisionFeatures() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            BackboneConfig r50 = BackboneConfig.resnet50();
            double eps = WeightLayout.TORCHVISION.defaultBatchNormEps(r50);
            assertEquals(1e-5, eps, "torchvision's ResNet BatchNorm eps");
            ImportedBackbone imported = BackboneWeights.importFrom(stateDict, WeightLayout.TORCHVISION, r50, eps, m);
            ImportReport r = imported.report();
            assertEquals(320 - 53 - 2, r.loaded(), "every encoder tensor");
            assertEquals(53, r.ignored(), "one num_batches_tracked per BatchNorm");
            assertEquals(java.util.Set.of("fc.weight", "fc.bias"), java.util.Set.copyOf(r.leftOut()));
            double worst = worstRelativeDiff(imported.encoder(), m, "torchvision");
            assertTrue(worst <= 1e-3, "P2..P5 differ from torchvision by " + worst + " of their scale");
        }
    }

    @Test
    void batchNormEpsOfTheSourceMatters() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Encoder wrongEps = BackboneWeights.importFrom(
                    stateDict, WeightLayout.TORCHVISION, BackboneConfig.resnet50(), 1e-2, m).encoder();
            assertTrue(worstRelativeDiff(wrongEps, m, "eps 1e-2") > 1e-3, "eps must change the features");
        }
    }

    @Test
    void savedWeightsLoadIntoAResNetModel() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            ImportedBackbone imported = BackboneWeights.importFrom(
                    stateDict, WeightLayout.TORCHVISION, BackboneConfig.resnet50(), 1e-5, m);
            Path weights = dir.resolve("r50.weights");
            BackboneWeights.save(imported, "torchvision:resnet50.safetensors", weights);
            org.eseg.model.EsegModel model = org.eseg.model.EsegModel.create(
                    org.eseg.model.EsegVariants.byName("r50-dlv3p-noatrous"));
            model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, 64, 64));
            BackboneWeights.loadInto(model, weights);
            var loaded = org.eseg.model.io.ParameterNames.of(model);
            org.eseg.model.io.ParameterNames.of(imported.encoder()).forEach((name, p) -> assertEquals(
                    p.getArray().sum().getFloat(), loaded.get("backbone." + name).getArray().sum().getFloat(), name));
        }
    }
}
