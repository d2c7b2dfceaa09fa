package org.eseg.infer.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.eseg.graph.InferenceGraph;
import org.eseg.infer.TestSupport;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.runtime.FloatTensor;
import org.eseg.infer.runtime.OrtRuntime;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.infer.runtime.Runtimes;
import org.eseg.infer.runtime.SegmentationRuntime;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.util.ImageSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxExportTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "eseg-lite-s, 64, 96, false", "eseg-lite-s, 65, 97, true",
        "eseg-s, 64, 96, true", "eseg-s, 65, 97, false",
        // every level halves exactly: nearest upsampling is exported with constant scales
        "eseg-lite-s, 128, 256, false",
    })
    void onnxRuntimeMatchesTheDjlModel(String name, int h, int w, boolean dynamic) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName(name), manager, 5);
            InferenceGraph graph = ModelCompiler.compile(model);
            OnnxExportOptions options = OnnxExportOptions.DEFAULT
                    .withInput(dynamic ? null : new ImageSize(h, w), 0);
            Path file = dir.resolve(name + ".onnx");
            OnnxExporter.write(graph, options, file);
            FloatTensor image = new FloatTensor(TestSupport.image(1, h, w), new long[] {1, 3, h, w});
            FloatTensor expected;
            FloatTensor actual;
            try (SegmentationRuntime djl = Runtimes.open(RuntimeKind.DJL_EAGER, model, RuntimeOptions.DEFAULT);
                    SegmentationRuntime ort = OrtRuntime.open(file, RuntimeOptions.DEFAULT.withThreads(2))) {
                expected = djl.logits(image);
                actual = ort.logits(image);
            }
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = TestSupport.maxAbsDiff(expected.data(), actual.data());
            double agree = TestSupport.agreement(expected.argmax(), actual.argmax());
            assertTrue(diff <= 1e-3, "max abs diff " + diff + " (logits up to " + TestSupport.maxAbs(expected.data()) + ")");
            assertTrue(agree >= 0.999, "argmax agreement " + agree);
        }
    }

    @Test
    void dynamicExportRunsAtAnotherSizeAndBatch() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName("eseg-lite-s").withClasses(4), manager, 9);
            byte[] onnx = OnnxExporter.export(ModelCompiler.compile(model), OnnxExportOptions.DEFAULT);
            try (SegmentationRuntime ort = OrtRuntime.open(onnx, RuntimeOptions.DEFAULT)) {
                FloatTensor out = ort.logits(new FloatTensor(TestSupport.image(2, 40, 50), new long[] {2, 3, 40, 50}));
                assertArrayEquals(new long[] {2, 4, 40, 50}, out.shape());
            }
        }
    }

    @Test
    void badOpsetIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExportOptions.DEFAULT.withOpset(9));
        assertTrue(e.getMessage().contains("opset"), e.getMessage());
    }
}
