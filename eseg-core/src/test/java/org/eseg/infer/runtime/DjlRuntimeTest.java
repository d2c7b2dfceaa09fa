package org.eseg.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.eseg.graph.InferenceGraph;
import org.eseg.graph.Op;
import org.eseg.infer.TestSupport;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.decoder.DecoderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DjlRuntimeTest {

    @ParameterizedTest
    @CsvSource({"eseg-lite-s, bifpn, 64, 96", "eseg-s, bifpn, 65, 97", "eseg-lite-s, fpn, 33, 47"})
    void foldedGraphMatchesTheModel(String name, String decoder, int h, int w) {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName(name)
                    .withDecoderKind(DecoderKind.valueOf(decoder.toUpperCase())).withClasses(7), manager, 11);
            FloatTensor image = new FloatTensor(TestSupport.image(2, h, w), new long[] {2, 3, h, w});
            FloatTensor expected;
            FloatTensor actual;
            try (SegmentationRuntime eager = new EagerDjlRuntime(model, RuntimeOptions.DEFAULT);
                    SegmentationRuntime fast = Runtimes.open(RuntimeKind.DJL, model, RuntimeOptions.DEFAULT)) {
                expected = eager.logits(image);
                actual = fast.logits(image);
            }
            assertArrayEquals(new long[] {2, 7, h, w}, actual.shape());
            assertTrue(TestSupport.maxAbs(expected.data()) > 0.1, "logits are not degenerate");
            // float32 round-off grows with the logits' scale: compare relative to it
            double scale = Math.max(1, TestSupport.maxAbs(expected.data()));
            double diff = TestSupport.maxAbsDiff(expected.data(), actual.data());
            assertTrue(diff <= 1e-5 * scale + 1e-5, "max abs diff " + diff + " at logit scale " + scale);
        }
    }

    private static long countConvs(ai.djl.nn.Block b) {
        if (b instanceof ai.djl.nn.convolutional.Convolution) {
            return 1;
        }
        return b.getChildren().values().stream().mapToLong(DjlRuntimeTest::countConvs).sum();
    }

    @Test
    void graphHasNoBatchNormLeftAndNoIdentityResizes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = TestSupport.randomModel(EsegVariants.byName("eseg-lite-s"), manager, 3);
            InferenceGraph g = ModelCompiler.compile(model);
            long convs = g.ops().stream().filter(o -> o instanceof Op.Conv).count();
            // One step per convolution of the model: every BatchNorm went into a convolution.
            assertEquals(countConvs(model), convs);
            for (Op op : g.ops()) {
                if (op instanceof Op.Resize r) {
                    assertTrue(g.level(r.input()) != g.level(r.like()), "identity resize kept: " + r);
                }
            }
            assertEquals(0, g.level(g.output()));
        }
    }
}
