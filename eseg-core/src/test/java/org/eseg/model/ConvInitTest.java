package org.eseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.eseg.model.io.ParameterNames;
import org.junit.jupiter.api.Test;

class ConvInitTest {

    @Test
    void depthwiseWeightsUseTheirOwnFanOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName("eseg-s"), m, 64, 64);
            // a BiFPN depthwise 3x3 over 96 channels: fan-out 9 -> std sqrt(2/9) = 0.471
            NDArray dw = ParameterNames.of(model).get("decoder.layer0.td_P2.conv.dw.weight").getArray();
            double std = Math.sqrt(dw.pow(2).mean().getFloat());
            assertEquals(Math.sqrt(2.0 / 9), std, 0.05);
            // a 1x1 pointwise 96 -> 96: fan-out 96 -> std 0.144
            NDArray pw = ParameterNames.of(model).get("decoder.layer0.td_P2.conv.pw.weight").getArray();
            assertEquals(Math.sqrt(2.0 / 96), Math.sqrt(pw.pow(2).mean().getFloat()), 0.01);
        }
    }

    @Test
    void aFreshModelInTrainingModeHasLogitsOfOrderOne() {
        // In training mode BatchNorm uses batch statistics, so the init decides the logit scale. (In eval
        // mode a fresh model's BN has identity statistics and, as in timm, activations shrink through the
        // fan-out-initialised expansion convolutions: that is expected and harmless.)
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName("eseg-s"), m, 64, 96);
            NDArray logits = model.forward(new ai.djl.training.ParameterStore(m, false),
                    new ai.djl.ndarray.NDList(TestModels.image(m, 2, 64, 96)), true).head();
            double std = Math.sqrt(logits.pow(2).mean().getFloat());
            assertTrue(std > 1e-2 && std < 1e3, "logit scale " + std);
        }
    }
}
