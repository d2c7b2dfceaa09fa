package org.eseg.infer.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eseg.graph.InferenceGraph;
import org.eseg.infer.TestSupport;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.runtime.Calibration;
import org.eseg.infer.runtime.ExportCheck;
import org.eseg.infer.runtime.FloatTensor;
import org.eseg.infer.runtime.Int8Calibrator;
import org.eseg.infer.runtime.OrtRuntime;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.infer.runtime.SegmentationRuntime;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.util.ImageSize;
import org.junit.jupiter.api.Test;

/**
 * An int8 export computes what the float32 one computes, within the error of 8-bit codes: on a fixed input
 * (like the calibration images, but none of them) the root-mean-square difference of its logits is at most
 * {@value #MAX_RELATIVE_RMS} of the float32 logits' root mean square, and its labels agree on at least
 * {@value #MIN_AGREEMENT} of the pixels. (A random network amplifies rounding more than a trained one: the demo's
 * trained model agrees on 99.2% of the validation pixels, docs/performance.md.)
 */
class Int8ExportTest {

    /** Largest RMS(int8 - fp32) / RMS(fp32) of the logits. */
    static final double MAX_RELATIVE_RMS = 0.1;
    /** Smallest fraction of pixels with the same argmax. */
    static final double MIN_AGREEMENT = 0.90;

    private static final ImageSize SIZE = new ImageSize(64, 128);

    @Test
    void int8ExportOfARandomModelAgreesWithFloat32() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = EsegModel.create(EsegVariants.byName("eseg-lite-s"));
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            checkAgreement(ModelCompiler.compile(model));
        }
    }

    @Test
    void int8ExportOfATrainedLikeModelAgreesWithFloat32() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Random BatchNorm statistics and fusion weights, as after training.
            EsegModel model = TestSupport.randomModel(EsegVariants.byName("eseg-lite-s"), manager, 11);
            checkAgreement(ModelCompiler.compile(model));
        }
    }

    @Test
    void percentileRangesAreInsideMinMax() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName("eseg-lite-s"), manager, 3);
            InferenceGraph graph = ModelCompiler.compile(model);
            List<FloatTensor> images = List.of(ExportCheck.randomImage(SIZE, 1), ExportCheck.randomImage(SIZE, 2));
            ActivationRanges minMax = Int8Calibrator.calibrate(graph, new Calibration(images, 100), RuntimeOptions.DEFAULT);
            ActivationRanges pct = Int8Calibrator.calibrate(graph, new Calibration(images, 99), RuntimeOptions.DEFAULT);
            assertTrue(minMax.has(InferenceGraph.INPUT), "the image's range is recorded");
            boolean narrower = false;
            for (var e : minMax.asMap().entrySet()) {
                float[] all = e.getValue();
                float[] p = pct.asMap().get(e.getKey());
                assertTrue(p[0] >= all[0] && p[1] <= all[1], "value " + e.getKey() + ": percentile range outside min/max");
                narrower |= p[0] > all[0] || p[1] < all[1];
            }
            assertTrue(narrower, "the 99th percentile cuts some map's extremes");
        }
    }

    private static void checkAgreement(InferenceGraph graph) {
        List<FloatTensor> calibration = List.of(ExportCheck.randomImage(SIZE, 1), ExportCheck.randomImage(SIZE, 2),
                ExportCheck.randomImage(SIZE, 3), ExportCheck.randomImage(SIZE, 4));
        ActivationRanges ranges = Int8Calibrator.calibrate(graph, new Calibration(calibration, Calibration.MIN_MAX),
                RuntimeOptions.DEFAULT);
        byte[] fp32 = OnnxExporter.export(graph, OnnxExportOptions.DEFAULT);
        byte[] int8 = OnnxExporter.export(graph, OnnxExportOptions.DEFAULT.withInt8(ranges));
        String text = new String(int8, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("QuantizeLinear") && text.contains("DequantizeLinear"), "a QDQ graph");
        assertFalse(new String(fp32, StandardCharsets.ISO_8859_1).contains("QuantizeLinear"));
        // A fixed input from the calibration images' distribution, but none of them.
        FloatTensor image = ExportCheck.randomImage(SIZE, 99);
        FloatTensor expected;
        FloatTensor actual;
        try (SegmentationRuntime a = OrtRuntime.open(fp32, RuntimeOptions.DEFAULT);
                SegmentationRuntime b = OrtRuntime.open(int8, RuntimeOptions.DEFAULT)) {
            expected = a.logits(image);
            actual = b.logits(image);
        }
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.data().length; i++) {
            double d = actual.data()[i] - expected.data()[i];
            diff += d * d;
            norm += (double) expected.data()[i] * expected.data()[i];
        }
        double relativeRms = Math.sqrt(diff / norm);
        double agree = TestSupport.agreement(expected.argmax(), actual.argmax());
        System.out.printf("int8 vs fp32: relative RMS %.4f, argmax agreement %.4f%n", relativeRms, agree);
        assertTrue(relativeRms <= MAX_RELATIVE_RMS, "relative RMS difference " + relativeRms);
        assertTrue(agree >= MIN_AGREEMENT, "argmax agreement " + agree);
    }
}
