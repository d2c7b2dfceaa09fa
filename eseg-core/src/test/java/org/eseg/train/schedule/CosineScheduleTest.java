package org.eseg.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CosineScheduleTest {

    @Test
    void warmsUpLinearlyThenDecaysToExactlyZero() {
        // base 0.08, 110 steps, 10 warm-up steps from 0.1·base.
        CosineSchedule s = new CosineSchedule(0.08, 110, 10, 0.1);
        assertEquals(0.008, s.lr(0), 1e-15);
        assertEquals(0.08 * (0.1 + 0.9 * 5 / 10.0), s.lr(5), 1e-15); // 0.044
        assertEquals(0.08, s.lr(10), 1e-15);
        // Cosine over the 100 steps after warm-up: step 35 is a quarter → ½(1 + cos(π/4)).
        assertEquals(0.08 * 0.5 * (1 + Math.sqrt(0.5)), s.lr(35), 1e-15);
        assertEquals(0.04, s.lr(60), 1e-15);
        assertEquals(0.08 * 0.5 * (1 + Math.cos(Math.PI * 99 / 100)), s.lr(109), 1e-15);
        assertEquals(0.0, s.lr(110), 0.0);
        assertEquals(0.0, s.lr(1_000_000), 0.0);
    }

    @Test
    void withoutWarmupStartsAtBaseAndIsNonIncreasing() {
        CosineSchedule s = CosineSchedule.withoutWarmup(0.01, 90_000);
        assertEquals(0.01, s.lr(0), 0.0);
        assertEquals(0.005, s.lr(45_000), 1e-15);
        double previous = Double.POSITIVE_INFINITY;
        for (long step = 0; step <= 90_000; step += 997) {
            double lr = s.lr(step);
            assertTrue(lr <= previous && lr >= 0, "step " + step);
            previous = lr;
        }
        assertEquals(0.0, s.lr(90_000), 0.0);
    }

    @Test
    void warmupFromZero() {
        CosineSchedule s = new CosineSchedule(1.0, 10, 4, 0);
        assertEquals(0.0, s.lr(0), 0.0);
        assertEquals(0.25, s.lr(1), 1e-15);
        assertEquals(0.75, s.lr(3), 1e-15);
        assertEquals(1.0, s.lr(4), 0.0);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(-1, 10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(Double.NaN, 10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0.1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0.1, 10, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0.1, 10, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0.1, 10, 2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> CosineSchedule.withoutWarmup(0.1, 10).lr(-1));
    }
}
