package org.eseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eseg.model.decoder.DecoderKind;
import org.junit.jupiter.api.Test;

class EsegConfigTest {

    @Test
    void jsonRoundTripKeepsEveryField() {
        for (String name : EsegVariants.names()) {
            EsegConfig c = EsegVariants.byName(name).withClasses(150).withLevels(3, 7).withDecoderKind(DecoderKind.FPN);
            assertEquals(c, EsegConfig.fromJson(c.toJson()));
        }
    }

    @Test
    void unknownModelListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EsegVariants.byName("eseg-xl"));
        for (String n : EsegVariants.names()) {
            assertTrue(e.getMessage().contains(n), e.getMessage());
        }
    }

    @Test
    void impossibleSettingsAreRejectedWithTheReason() {
        EsegConfig s = EsegVariants.byName("eseg-s");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.withClasses(0)).getMessage().contains(">= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.withLevels(1, 9)).getMessage().contains("2..9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.withLevels(2, 10)).getMessage().contains("2..9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.withLevels(6, 4)).getMessage().contains("above"));
    }

    @Test
    void invalidJsonSaysWhatIsWrong() {
        String bad = EsegVariants.byName("eseg-s").toJson().replace("\"numClasses\" : 19", "\"numClasses\" : -3");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EsegConfig.fromJson(bad));
        assertTrue(e.getMessage().contains("classes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EsegConfig.fromJson("{\"name\": \"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> EsegConfig.fromJson("not json"));
    }
}
