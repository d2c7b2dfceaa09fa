package org.eseg.model.complexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegVariants;
import org.eseg.model.decoder.DecoderKind;
import org.eseg.model.layers.Convs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComplexityTest {

    @Test
    void macCounterMatchesAHandCount() {
        // conv 3->8, 3x3, stride 2, pad 1 on 10x14: output 5x7; MACs = 8*5*7 * 3*3*3 = 7560
        // depthwise 8->8, 3x3, stride 1: 8*5*7 * 1*3*3 = 2520
        // pointwise 8->4 with bias: 4*5*7 * 8 = 1120
        // flatten 4*5*7 = 140 -> linear 10: 140*10 = 1400
        SequentialBlock net = new SequentialBlock()
                .add(Convs.conv(8, 3, 2, 1, false))
                .add(BatchNorm.builder().build())
                .add(Convs.conv(8, 3, 1, 8, false))
                .add(Convs.pointwise(4, true))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
        try (NDManager m = NDManager.newBaseManager()) {
            net.setInitializer(ai.djl.training.initializer.Initializer.ONES, ai.djl.nn.Parameter.Type.WEIGHT);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 10, 14));
            assertEquals(7560 + 2520 + 1120 + 1400, Complexity.macs(net));
            // weights 8*3*9 + BN gamma/beta 16 (running stats excluded) + 8*9 + 4*8+4 + 140*10+10
            assertEquals(216 + 16 + 72 + 36 + 1410, Complexity.params(net));
        }
    }

    /**
     * The exact counts of every variant (19 classes, 1024x2048), as this code computed them when they were pinned.
     * The counts are deterministic, so any change to the network (a dropped BiFPN layer, another pooling, a
     * different head) shows here, long before it would leave the paper's tolerance below. The ESeg-S rows also
     * hold the feature-level ablation of the paper's Table 1 and the FPN ablation of Table 2.
     */
    @ParameterizedTest
    @CsvSource({
        "eseg-lite-s, 3, 9, BIFPN,  3591895,  17141686784",
        "eseg-lite-m, 3, 9, BIFPN,  9740140,  42712114432",
        "eseg-lite-l, 3, 9, BIFPN, 28398577, 114855287040",
        "eseg-s,      2, 5, BIFPN,  6410895,  33681041920",
        "eseg-s,      2, 7, BIFPN,  6638841,  33829726720",
        "eseg-s,      2, 9, BIFPN,  6866787,  33839019520",
        "eseg-m,      2, 9, BIFPN, 20009293, 110333316960",
        "eseg-l,      2, 9, BIFPN, 70523031, 339765078528",
        "eseg-s,      2, 5, FPN,    6494551,  39449520640",
        "eseg-s,      2, 9, FPN,    6951131,  39526812160",
        "eseg-s-dlv3p,          2, 5, DEEPLABV3PLUS,           9628036,  93844417024",
        "eseg-s-dlv3p-noatrous, 2, 5, DEEPLABV3PLUS_NOATROUS,  9628036,  49839811072",
        "r50-bifpn,             2, 9, BIFPN,                  25258371, 187366886400",
        "r50-dlv3p,             2, 5, DEEPLABV3PLUS,          31064596, 343612686336",
        "r50-dlv3p-noatrous,    2, 5, DEEPLABV3PLUS_NOATROUS, 31064596, 213837250560",
    })
    void exactCountsOfEveryVariant(String name, int min, int max, DecoderKind decoder, long params, long macs) {
        EsegConfig c = EsegVariants.byName(name).withLevels(min, max).withDecoderKind(decoder);
        ComplexityReport r = Complexity.measure(c, 1024, 2048);
        assertEquals(params, r.total().params(), name + " P" + min + "-P" + max + " " + decoder + " params");
        assertEquals(macs, r.total().macs(), name + " P" + min + "-P" + max + " " + decoder + " MACs");
    }

    @Test
    void everyNamedVariantHasPinnedCounts() {
        // A new variant must add its exact counts to exactCountsOfEveryVariant.
        List<String> eseg = List.of("eseg-lite-s", "eseg-lite-m", "eseg-lite-l", "eseg-s", "eseg-m", "eseg-l");
        List<String> table8 = List.of(
                "eseg-s-dlv3p", "eseg-s-dlv3p-noatrous", "r50-bifpn", "r50-dlv3p", "r50-dlv3p-noatrous");
        assertEquals(java.util.stream.Stream.concat(eseg.stream(), table8.stream()).toList(), EsegVariants.names());
        for (String name : eseg) {
            EsegConfig c = EsegVariants.byName(name);
            assertEquals(DecoderKind.BIFPN, c.decoder().kind(), name);
            assertEquals(name.startsWith("eseg-lite") ? 3 : 2, c.minLevel(), name);
            assertEquals(9, c.maxLevel(), name);
            assertEquals(19, c.numClasses(), name);
        }
    }

    /**
     * The paper's figures (Table 1 / Table 4 params and FLOPs, which are multiply-adds) and the reference parameter
     * counts of docs/design.md section 1 (19 classes): our counts stay within 2% (params) and 8% (MACs) of them.
     */
    @ParameterizedTest
    @CsvSource({
        "eseg-s, 2, 5, 6.41e6, 34.3e9",
        "eseg-s, 2, 7, 6.64e6, 34.5e9",
        "eseg-s, 2, 9, 6.87e6, 34.5e9",
        "eseg-m, 2, 9, 20.01e6, 112e9",
        "eseg-l, 2, 9, 70.53e6, 343e9",
    })
    void reproducesThePapersCounts(String name, int min, int max, double params, double paperMacs) {
        EsegConfig c = EsegVariants.byName(name).withLevels(min, max);
        ComplexityReport r = Complexity.measure(c, 1024, 2048);
        double paramErr = Math.abs(r.total().params() - params) / params;
        double macErr = Math.abs(r.total().macs() - paperMacs) / paperMacs;
        assertTrue(paramErr < 0.02, name + " params " + r.total().params() + " vs " + params);
        assertTrue(macErr < 0.08, name + " MACs " + r.total().macs() + " vs paper " + paperMacs);
    }

    @Test
    void liteSmallIsAbout17BillionMacs() {
        ComplexityReport r = Complexity.measure(EsegVariants.byName("eseg-lite-s"), 1024, 2048);
        assertTrue(Math.abs(r.total().macs() - 17e9) / 17e9 < 0.10, "MACs " + r.total().macs());
    }

    @Test
    void partsAddUpToTheTotal() {
        ComplexityReport r = Complexity.measure(EsegVariants.byName("eseg-lite-s"), 256, 512);
        assertEquals(java.util.List.of("backbone", "decoder", "head"), java.util.List.copyOf(r.parts().keySet()));
        assertEquals(r.total().params(), r.parts().values().stream().mapToLong(PartFigures::params).sum());
        assertEquals(r.total().macs(), r.parts().values().stream().mapToLong(PartFigures::macs).sum());
    }

    @Test
    void macsScaleWithThePixelCount() {
        EsegConfig c = EsegVariants.byName("eseg-s").withLevels(2, 5);
        long big = Complexity.measure(c, 1024, 2048).total().macs();
        long quarter = Complexity.measure(c, 512, 1024).total().macs();
        assertEquals(4.0, (double) big / quarter, 0.01);
    }

    @Test
    void rejectsNonPositiveSizes() {
        EsegConfig c = EsegVariants.byName("eseg-s");
        assertThrows(IllegalArgumentException.class, () -> Complexity.measure(c, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> Complexity.measure(c, 64, -1));
    }
}
