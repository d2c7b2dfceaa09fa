package org.eseg.model.complexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eseg.model.EsegConfig;
import org.eseg.model.EsegVariants;
import org.eseg.model.backbone.BlockKind;
import org.eseg.model.decoder.DecoderKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The encoder and decoder ablations of the paper's Table 8 (FLOPs = multiply-adds at 1024×2048, 19 classes):
 * each named variant is the row's encoder and decoder, and its MACs are within 8% of the paper's
 * (docs/design.md section 7). The first row, ESeg-S itself, is held by {@link ComplexityTest}.
 */
class Table8ComplexityTest {

    @ParameterizedTest
    @CsvSource({
        "eseg-s-dlv3p,          MBCONV,     DEEPLABV3PLUS,           91.8e9",
        "eseg-s-dlv3p-noatrous, MBCONV,     DEEPLABV3PLUS_NOATROUS,  49.9e9",
        "r50-bifpn,             BOTTLENECK, BIFPN,                  188.0e9",
        "r50-dlv3p,             BOTTLENECK, DEEPLABV3PLUS,          324.3e9",
        "r50-dlv3p-noatrous,    BOTTLENECK, DEEPLABV3PLUS_NOATROUS, 230.3e9",
    })
    void macsAreWithinEightPercentOfTable8(String name, BlockKind block, DecoderKind decoder, double paperMacs) {
        EsegConfig c = EsegVariants.byName(name);
        assertEquals(block, c.backbone().block(), name);
        assertEquals(decoder, c.decoder().kind(), name);
        if (block == BlockKind.MBCONV) {
            assertEquals("efficientnet-b1", c.backbone().name(), "Table 8's EfficientNet rows use B1");
        }
        ComplexityReport r = Complexity.measure(c, 1024, 2048);
        double ratio = r.total().macs() / paperMacs;
        assertTrue(Math.abs(ratio - 1) <= 0.08,
                name + ": " + r.total().macs() + " MACs vs the paper's " + paperMacs + " (" + ratio + ")");
    }

    @ParameterizedTest
    @CsvSource({"eseg-s-dlv3p, eseg-s-dlv3p-noatrous", "r50-dlv3p, r50-dlv3p-noatrous"})
    void atrousEncoderCostsMoreOnlyInTheBackboneAndAspp(String atrous, String plain) {
        ComplexityReport a = Complexity.measure(EsegVariants.byName(atrous), 1024, 2048);
        ComplexityReport p = Complexity.measure(EsegVariants.byName(plain), 1024, 2048);
        // Dilation changes no weight: the same parameters, and the same head at stride 4.
        assertEquals(p.total().params(), a.total().params());
        assertEquals(p.parts().get("head").macs(), a.parts().get("head").macs());
        assertTrue(a.parts().get("backbone").macs() > p.parts().get("backbone").macs());
        assertTrue(a.parts().get("decoder").macs() > p.parts().get("decoder").macs());
    }
}
