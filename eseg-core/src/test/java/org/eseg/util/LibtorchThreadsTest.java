package org.eseg.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eseg.util.LibtorchThreads.Probes;
import org.eseg.util.LibtorchThreads.Setting;
import org.junit.jupiter.api.Test;

class LibtorchThreadsTest {

    @Test
    void theTestBuildRunsLibtorchOnTheSafestSetting() {
        // The parent pom starts test JVMs with ONEDNN_MAX_CPU_ISA=AVX2 and one thread, right on every processor.
        assertEquals("AVX2,1", System.getenv(LibtorchThreads.SETTING_VARIABLE));
        assertEquals(1, LibtorchThreads.set(2));
    }

    @Test
    void libtorchComputesTheProbesAsJavaDoesUnderTheSafestSetting() {
        LibtorchThreads.set(1);
        assertTrue(Probes.close(Probes.convInputGradientInJava(), Probes.convInputGradient()),
                "3x3 convolution input gradient");
        assertTrue(Probes.close(Probes.pointwiseConvInJava(), Probes.pointwiseConv()), "1x1 convolution");
    }

    @Test
    void theJavaTwinsAreNotTrivial() {
        float[] g = Probes.convInputGradientInJava();
        float[] wrong = g.clone();
        wrong[7] += 0.5f;
        assertTrue(Probes.close(g, g));
        assertTrue(!Probes.close(g, wrong), "a changed element is noticed");
        float[] nan = g.clone();
        nan[0] = Float.NaN;
        assertTrue(!Probes.close(g, nan), "NaN is noticed");
    }

    @Test
    void aChildJvmUnderTheSafestSettingAgrees() {
        // The check that chooses the setting, run where it must pass: the child starts, loads libtorch from
        // this classpath and compares.
        assertTrue(LibtorchThreads.agrees(new Setting("AVX2", 1)));
    }

    @Test
    void settingsReadBackAndExportForTheShell() {
        Setting s = new Setting("AVX2", 2);
        assertEquals(s, Setting.parse(s.toString()));
        assertEquals("export ONEDNN_MAX_CPU_ISA=AVX2\nexport OMP_NUM_THREADS=2\nexport ESEG_LIBTORCH_SETTING=AVX2,2\n",
                s.exports());
        assertTrue(new Setting("default", 1).exports().startsWith("unset ONEDNN_MAX_CPU_ISA\n"));
    }
}
