package org.eseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.stream.Stream;
import org.eseg.model.backbone.FeatureTap;
import org.eseg.model.decoder.DecoderKind;
import org.eseg.model.io.ParameterNames;
import org.eseg.model.layers.DropPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EsegModelTest {

    static Stream<String> variants() {
        return EsegVariants.names().stream();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyVariantPredictsAtTheInputSize(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegConfig c = EsegVariants.byName(name).withClasses(7);
            EsegModel model = TestModels.init(c, m, 64, 96);
            NDArray logits = TestModels.infer(model, TestModels.image(m, 2, 64, 96));
            assertEquals(new Shape(2, 7, 64, 96), logits.getShape());
            assertFalse(logits.isNaN().any().getBoolean(), "logits contain NaN");
        }
    }

    static Stream<Arguments> oddSizes() {
        return Stream.of(
                Arguments.of("eseg-s", 250, 333),
                Arguments.of("eseg-lite-s", 250, 333),
                Arguments.of("eseg-s", 33, 47), // P6..P9 are all 1x1
                Arguments.of("eseg-lite-s", 17, 23),
                Arguments.of("eseg-lite-s", 1, 1));
    }

    @ParameterizedTest
    @MethodSource("oddSizes")
    void oddAndTinySizesKeepTheInputSize(String name, int h, int w) {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName(name), m, h, w);
            NDArray logits = TestModels.infer(model, TestModels.image(m, 1, h, w));
            assertEquals(new Shape(1, 19, h, w), logits.getShape());
            assertEquals(new Shape(1, 19, h, w), model.getOutputShapes(new Shape[] {new Shape(1, 3, h, w)})[0]);
        }
    }

    @Test
    void levelsHaveCeilSizesAndP9CanBeOnePixel() {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName("eseg-s"), m, 250, 333);
            ParameterStore ps = new ParameterStore(m, false);
            NDList levels = model.decode(ps, TestModels.image(m, 1, 250, 333), false, null);
            assertEquals(8, levels.size());
            for (int i = 0; i < levels.size(); i++) {
                int level = 2 + i;
                long h = (long) Math.ceil(250 / Math.pow(2, level));
                long w = (long) Math.ceil(333 / Math.pow(2, level));
                assertEquals(new Shape(1, 96, h, w), levels.get(i).getShape(), "P" + level);
            }
            assertEquals(new Shape(1, 96, 1, 1), levels.get(7).getShape());
        }
    }

    @Test
    void fpnDecoderRuns() {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegConfig c = EsegVariants.byName("eseg-lite-s").withDecoderKind(DecoderKind.FPN).withLevels(2, 9);
            EsegModel model = TestModels.init(c, m, 80, 120);
            assertEquals(new Shape(1, 19, 80, 120), TestModels.infer(model, TestModels.image(m, 1, 80, 120)).getShape());
            assertTrue(ParameterNames.of(model).containsKey("decoder.fpn.out_P2.conv.weight"));
        }
    }

    @Test
    void b1TapsMatchEfficientNet() {
        EsegModel model = EsegModel.create(EsegVariants.byName("eseg-s"));
        List<FeatureTap> taps = model.backbone().taps();
        assertEquals(List.of(1, 2, 3, 4, 5), taps.stream().map(FeatureTap::level).toList());
        assertEquals(List.of(16, 24, 40, 112, 320), taps.stream().map(FeatureTap::channels).toList());
        assertEquals(List.of(1, 2, 3, 5, 7), taps.stream().map(FeatureTap::stage).toList());
    }

    @Test
    void encoderStopsAtTheDeepestLevelNeeded() {
        EsegModel shallow = EsegModel.create(EsegVariants.byName("eseg-s").withLevels(2, 4));
        assertEquals(4, shallow.backbone().taps().get(shallow.backbone().taps().size() - 1).level());
        assertFalse(ParameterNames.of(shallow).keySet().stream().anyMatch(n -> n.startsWith("backbone.stage6")));
    }

    @Test
    void parameterNamesAreStableAndReadable() {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName("eseg-s"), m, 64, 64);
            var names = ParameterNames.of(model).keySet();
            for (String expected : List.of(
                    "backbone.stem.conv.weight",
                    "backbone.stem.bn.gamma",
                    "backbone.stage2.b0.conv_pw.conv.weight",
                    "backbone.stage2.b0.conv_dw.conv.weight",
                    "backbone.stage2.b0.se.conv_reduce.weight",
                    "backbone.stage2.b0.conv_pwl.bn.runningVar",
                    "decoder.lateral.P9.conv.bias",
                    "decoder.layer3.td_P2.weights",
                    "decoder.layer0.out_P9.conv.pw.weight",
                    "head.fusion.weights",
                    "head.classifier.weight")) {
                assertTrue(names.contains(expected), expected + " missing; have e.g. " + names.iterator().next());
            }
            // P2..P9: 7 top-down and 7 bottom-up nodes per BiFPN layer.
            long nodes = names.stream().filter(n -> n.startsWith("decoder.layer0.") && n.endsWith(".weights")).count();
            assertEquals(14, nodes);
        }
    }

    @Test
    void stochasticDepthIsReplayableFromTheSeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName("eseg-lite-s"), m, 64, 64);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = TestModels.image(m, 4, 64, 64);
            PairList<String, Object> seed = new PairList<>();
            seed.add(DropPath.SEED_KEY, 42L);
            NDArray a = model.forward(ps, new NDList(x), true, seed).head();
            NDArray b = model.forward(ps, new NDList(x), true, seed).head();
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        }
    }

    @Test
    void rejectsImagesWithoutThreeChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName("eseg-lite-s"), m, 32, 32);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TestModels.infer(model, m.zeros(new Shape(1, 1, 32, 32))));
            assertTrue(e.getMessage().contains("(N, 3, H, W)"), e.getMessage());
        }
    }
}
