package org.eseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** ESeg-S on a full Cityscapes frame: runs on the CPU without exhausting memory. */
class FullSizeForwardTest {

    @Test
    void esegSAtFullCityscapesResolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = TestModels.init(EsegVariants.byName("eseg-s"), m, 1024, 2048);
            NDArray logits = TestModels.infer(model, TestModels.image(m, 1, 1024, 2048));
            assertEquals(new Shape(1, 19, 1024, 2048), logits.getShape());
            assertFalse(logits.isNaN().any().getBoolean());
        }
    }
}
