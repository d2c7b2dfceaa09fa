package org.eseg.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.eseg.graph.InferenceGraph;
import org.eseg.graph.Op;
import org.eseg.infer.TestSupport;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.export.onnx.OnnxExportOptions;
import org.eseg.infer.export.onnx.OnnxExporter;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.util.ImageSize;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Table 8 variants (ResNet-50 encoder, DeepLabV3+ decoder with and without atrous convolutions) through
 * every compiled runtime: the folded graph run by libtorch as TorchScript and by ONNX Runtime computes what
 * the eager blocks compute.
 */
class AblationRuntimesTest {

    @ParameterizedTest
    @CsvSource({
        "eseg-s-dlv3p, 64, 128, false", "eseg-s-dlv3p-noatrous, 65, 97, true",
        "r50-bifpn, 64, 128, true", "r50-dlv3p, 65, 97, false", "r50-dlv3p-noatrous, 64, 128, false",
    })
    void compiledRuntimesMatchTheEagerBlocks(String name, int h, int w, boolean fixedOnnxSize) {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName(name).withClasses(5), manager, 21);
            InferenceGraph graph = ModelCompiler.compile(model);
            if (name.contains("dlv3p")) {
                assertTrue(graph.ops().stream().anyMatch(o -> o instanceof Op.Concat), "ASPP concatenates");
                boolean dilated = graph.ops().stream()
                        .anyMatch(o -> o instanceof Op.Conv c && c.weights().dilation() > 1);
                assertTrue(dilated, "ASPP branches are atrous");
            }
            OnnxExportOptions options = OnnxExportOptions.DEFAULT.withInput(fixedOnnxSize ? new ImageSize(h, w) : null, 0);
            FloatTensor image = new FloatTensor(TestSupport.image(1, h, w), new long[] {1, 3, h, w});
            FloatTensor eager;
            FloatTensor torchScript;
            FloatTensor onnx;
            try (SegmentationRuntime e = new EagerDjlRuntime(model, RuntimeOptions.DEFAULT);
                    SegmentationRuntime ts = Runtimes.open(RuntimeKind.DJL, model, RuntimeOptions.DEFAULT);
                    SegmentationRuntime ort = OrtRuntime.open(OnnxExporter.export(graph, options),
                            RuntimeOptions.DEFAULT.withThreads(2))) {
                eager = e.logits(image);
                torchScript = ts.logits(image);
                onnx = ort.logits(image);
            }
            assertArrayEquals(new long[] {1, 5, h, w}, torchScript.shape());
            assertArrayEquals(eager.shape(), onnx.shape());
            assertTrue(TestSupport.maxAbs(eager.data()) > 0.1, "logits are not degenerate");
            double scale = Math.max(1, TestSupport.maxAbs(eager.data()));
            double tsDiff = TestSupport.maxAbsDiff(eager.data(), torchScript.data());
            double ortDiff = TestSupport.maxAbsDiff(eager.data(), onnx.data());
            assertTrue(tsDiff <= 1e-4 * scale, "TorchScript max abs diff " + tsDiff + " at logit scale " + scale);
            assertTrue(ortDiff <= 1e-4 * scale, "ONNX Runtime max abs diff " + ortDiff + " at logit scale " + scale);
        }
    }
}
