package org.eseg.infer.export.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.eseg.graph.InferenceGraph;
import org.eseg.infer.TestSupport;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.runtime.DjlRuntime;
import org.eseg.infer.runtime.FloatTensor;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.infer.runtime.Runtimes;
import org.eseg.infer.runtime.SegmentationRuntime;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.decoder.DecoderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TorchScriptExportTest {

    @TempDir
    Path dir;

    /** A file written by the exporter, loaded the way any DJL application loads a TorchScript model. */
    @ParameterizedTest
    @CsvSource({"eseg-lite-s, BIFPN, 64, 96", "eseg-s, BIFPN, 33, 47", "eseg-lite-s, FPN, 40, 50"})
    void djlCriteriaLoadsTheFileAndItMatchesTheModel(String name, DecoderKind decoder, int h, int w)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(
                    EsegVariants.byName(name).withDecoderKind(decoder).withClasses(5), manager, 13);
            Path file = dir.resolve("model.pt");
            TorchScriptExporter.write(ModelCompiler.compile(model), file);
            float[] image = TestSupport.image(2, h, w);
            FloatTensor expected;
            try (SegmentationRuntime eager = Runtimes.open(RuntimeKind.DJL_EAGER, model, RuntimeOptions.DEFAULT)) {
                expected = eager.logits(new FloatTensor(image, new long[] {2, 3, h, w}));
            }
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(file)
                    .optEngine("PyTorch")
                    .optTranslator(new NoopTranslator())
                    .build();
            try (ZooModel<NDList, NDList> zoo = criteria.loadModel();
                    Predictor<NDList, NDList> predictor = zoo.newPredictor();
                    NDManager call = NDManager.newBaseManager()) {
                NDArray x = call.create(image, new Shape(2, 3, h, w));
                NDArray y = predictor.predict(new NDList(x)).singletonOrThrow();
                assertArrayEquals(new long[] {2, 5, h, w}, y.getShape().getShape());
                double scale = Math.max(1, TestSupport.maxAbs(expected.data()));
                double diff = TestSupport.maxAbsDiff(expected.data(), y.toFloatArray());
                assertTrue(TestSupport.maxAbs(expected.data()) > 0.1, "logits are not degenerate");
                assertTrue(diff <= 1e-5 * scale + 1e-5, "max abs diff " + diff + " at logit scale " + scale);
            }
        }
    }

    @Test
    void bothMemoryLayoutsGiveTheSameLogitsAndNeverWriteToTheImage() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName("eseg-lite-s"), manager, 4);
            InferenceGraph graph = ModelCompiler.compile(model);
            float[] image = TestSupport.image(1, 48, 64);
            float[] nchw;
            float[] nhwc;
            try (NDManager call = NDManager.newBaseManager()) {
                NDArray x = call.create(image.clone(), new Shape(1, 3, 48, 64));
                nchw = run(TorchScriptExporter.export(graph, false), x);
                // The NCHW export computes on the caller's array itself: in-place steps must spare it.
                assertArrayEquals(image, x.toFloatArray());
                nhwc = run(TorchScriptExporter.export(graph, true), x);
                assertArrayEquals(image, x.toFloatArray());
            }
            assertTrue(TestSupport.maxAbsDiff(nchw, nhwc) <= 1e-5 * Math.max(1, TestSupport.maxAbs(nchw)));
        }
    }

    private static float[] run(byte[] torchScript, NDArray x) {
        try (ai.djl.Model m = ai.djl.Model.newInstance("t", "PyTorch")) {
            m.load(new java.io.ByteArrayInputStream(torchScript));
            NDList out = m.getBlock().forward(new ai.djl.training.ParameterStore(x.getManager(), false),
                    new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void archiveHasTheLayoutTorchJitSaveWrites() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName("eseg-lite-s"), manager, 2);
            InferenceGraph graph = ModelCompiler.compile(model);
            Path file = dir.resolve("m.pt");
            TorchScriptExporter.write(graph, file);
            long convs = graph.ops().stream().filter(o -> o instanceof org.eseg.graph.Op.Conv).count();
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (String entry : new String[] {"version", "byteorder", "data.pkl", "constants.pkl",
                    "code/__torch__.py", "data/0"}) {
                    assertTrue(zip.getEntry("eseg/" + entry) != null, "missing " + entry);
                }
                long tensors = zip.stream().filter(e -> e.getName().startsWith("eseg/data/")).count();
                // One weight per convolution, plus a bias for those that have one (all of them after folding).
                assertTrue(tensors >= convs && tensors <= 2 * convs, tensors + " tensors for " + convs + " convs");
            }
            String source = TorchScriptExporter.source(graph);
            assertEquals(convs, source.lines().filter(l -> l.contains("torch.conv2d(")).count());
            assertFalse(source.contains("v0 = torch.silu_(") || source.contains("torch.add_(v0,"),
                    "the image must never be written in place");
        }
    }
}
