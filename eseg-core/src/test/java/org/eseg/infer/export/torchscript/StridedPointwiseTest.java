package org.eseg.infer.export.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eseg.graph.ConvWeights;
import org.eseg.graph.GraphBuilder;
import org.eseg.graph.InferenceGraph;
import org.eseg.infer.TestSupport;
import org.eseg.infer.export.onnx.OnnxExportOptions;
import org.eseg.infer.export.onnx.OnnxExporter;
import org.eseg.infer.runtime.DjlRuntime;
import org.eseg.infer.runtime.FloatTensor;
import org.eseg.infer.runtime.OrtRuntime;
import org.eseg.infer.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;

/**
 * ResNet's strided 1×1 projection shortcut through TorchScript: libtorch 2.7.1's oneDNN used to die with
 * SIGFPE on it (channels-last, AVX2), which took the whole JVM down. It must run, and compute what ONNX
 * Runtime computes.
 */
class StridedPointwiseTest {

    private static ConvWeights weights(int out, int in, int stride) {
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(0.7 * i) * 0.05f;
        }
        float[] b = new float[out];
        for (int i = 0; i < b.length; i++) {
            b[i] = 0.01f * (i % 7);
        }
        return new ConvWeights(w, b, out, in, 1, stride, 0, 1, 1);
    }

    @Test
    void strided1x1ConvolutionRunsAndMatchesOnnxRuntime() {
        GraphBuilder g = new GraphBuilder();
        int x = g.conv(InferenceGraph.INPUT, weights(512, 3, 1));
        int y = g.conv(x, weights(1024, 512, 2)); // 8x16 -> 4x8, the case that crashed
        int z = g.conv(y, weights(3, 1024, 1));
        InferenceGraph graph = g.build("strided-pointwise", 3, g.resizeLike(z, InferenceGraph.INPUT, true));
        FloatTensor image = new FloatTensor(TestSupport.image(1, 8, 16), new long[] {1, 3, 8, 16});
        FloatTensor ts;
        FloatTensor ort;
        try (DjlRuntime djl = new DjlRuntime(graph, RuntimeOptions.DEFAULT);
                OrtRuntime onnx = OrtRuntime.open(OnnxExporter.export(graph, OnnxExportOptions.DEFAULT),
                        RuntimeOptions.DEFAULT)) {
            ts = djl.logits(image);
            ort = onnx.logits(image);
        }
        assertArrayEquals(new long[] {1, 3, 8, 16}, ts.shape());
        double scale = Math.max(1, TestSupport.maxAbs(ort.data()));
        double diff = TestSupport.maxAbsDiff(ort.data(), ts.data());
        assertTrue(TestSupport.maxAbs(ort.data()) > 0.01, "output is not degenerate");
        assertTrue(diff <= 1e-4 * scale, "max abs diff " + diff + " at scale " + scale);
    }
}
