package org.eseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServeOptionsTest {

    @Test
    void zeroWorkersMeansOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), ServeOptions.DEFAULT.workers());
        assertEquals(3, ServeOptions.DEFAULT.withQueue(3, 10).workers());
        assertEquals(Runtime.getRuntime().availableProcessors(), ServeOptions.DEFAULT.withQueue(0, 10).workers());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ServeOptions.DEFAULT.withQueue(-1, 10));
        assertTrue(e.getMessage().contains("at least 0"), e.getMessage());
    }
}
