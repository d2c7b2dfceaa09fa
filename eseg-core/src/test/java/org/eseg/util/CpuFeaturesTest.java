package org.eseg.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuFeaturesTest {

    @Test
    void vnniMakesInt8FastAndAmxOrAvx512Bf16MakeBf16Fast() {
        CpuFeatures vnni = new CpuFeatures(Set.of("avx2", "avx512f", "avx512_vnni"), null);
        assertTrue(vnni.int8Fast());
        assertFalse(vnni.bf16Fast());
        CpuFeatures avx2 = new CpuFeatures(Set.of("avx2", "fma"), null);
        assertFalse(avx2.int8Fast());
        assertTrue(new CpuFeatures(Set.of("amx_bf16"), null).bf16Fast());
        assertTrue(avx2.summary().contains("absent: avx512f"), avx2.summary());
    }

    @Test
    void anAvx2CapOnLibtorchCountsAsCapped() {
        assertTrue(new CpuFeatures(Set.of(), "AVX2").libtorchIsaCapped());
        assertFalse(new CpuFeatures(Set.of(), "AVX512_CORE_AMX").libtorchIsaCapped());
        assertFalse(new CpuFeatures(Set.of(), null).libtorchIsaCapped());
    }

    @Test
    void theDisablePropertyHidesAFeature() {
        String before = System.getProperty(CpuFeatures.DISABLE_PROPERTY);
        try {
            System.setProperty(CpuFeatures.DISABLE_PROPERTY, "avx512_vnni, avx_vnni,amx_int8");
            CpuFeatures cpu = CpuFeatures.detect();
            assertFalse(cpu.has("avx512_vnni"));
            assertFalse(cpu.has("avx_vnni"));
            assertFalse(cpu.int8Fast());
        } finally {
            if (before == null) {
                System.clearProperty(CpuFeatures.DISABLE_PROPERTY);
            } else {
                System.setProperty(CpuFeatures.DISABLE_PROPERTY, before);
            }
        }
    }
}
