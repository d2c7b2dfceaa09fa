package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.eseg.util.CpuFeatures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionCommandsTest {

    @TempDir
    static Path dir;

    static Path checkpoint;
    static Path images;

    @BeforeAll
    static void saveModelAndImages() throws Exception {
        checkpoint = TestModels.liteS(dir.resolve("lite.eseg"), 5, m -> {});
        images = Files.createDirectories(dir.resolve("train/city"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 128; x++) {
                    img.setRGB(x, y, ((x * 2 + i * 40) & 0xFF) << 16 | ((y * 4) & 0xFF) << 8 | ((x + y) & 0xFF));
                }
            }
            ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
        }
    }

    @Test
    void benchmarkAllPrecisionsTimesEachRuntimeThatRunsThemWithRatios() throws Exception {
        CliRun r = CliRun.of("benchmark", "--model", "eseg-lite-s", "--input", "64x128", "--runtime", "all",
                "--precision", "all", "--iters", "2", "--warmup", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("processor: "), r.out());
        JsonNode runs = new ObjectMapper().readTree(r.lastLine()).get("runs");
        List<String> labels = new ArrayList<>();
        runs.forEach(run -> labels.add(run.get("runtime").asText()));
        assertEquals(List.of("djl/fp32", "onnx/fp32", "onnx/int8"), labels);
        double fastest = Math.min(runs.get(0).get("ms_mean").asDouble(), runs.get(1).get("ms_mean").asDouble());
        for (JsonNode run : runs) {
            double expected = run.get("ms_mean").asDouble() / fastest;
            assertEquals(expected, run.get("ratio_to_fastest_fp32").asDouble(), 0.01 + 0.01 * expected);
        }
    }

    @Test
    void int8WithoutVnniWarnsButRuns() throws Exception {
        String before = System.getProperty(CpuFeatures.DISABLE_PROPERTY);
        System.setProperty(CpuFeatures.DISABLE_PROPERTY, "avx512_vnni,avx_vnni,amx_int8");
        try {
            CliRun r = CliRun.of("benchmark", "--model", "eseg-lite-s", "--input", "64x128", "--runtime", "onnx",
                    "--precision", "int8", "--iters", "1", "--warmup", "0");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("warning: int8 will be slow on this processor"), r.out());
            assertTrue(r.out().contains("onnx/int8"), r.out());
            CliRun info = CliRun.of("info", "--system");
            assertEquals(0, info.exitCode(), info.err());
            assertTrue(info.out().contains("absent: ") && info.out().contains("avx512_vnni"), info.out());
            assertTrue(info.out().contains("int8: int8 will be slow"), info.out());
            assertTrue(info.out().contains("bf16: no runtime computes in it yet"), info.out());
        } finally {
            if (before == null) {
                System.clearProperty(CpuFeatures.DISABLE_PROPERTY);
            } else {
                System.setProperty(CpuFeatures.DISABLE_PROPERTY, before);
            }
        }
    }

    @Test
    void exportInt8WritesACalibratedQdqModelThatRuns() throws Exception {
        Path out = dir.resolve("lite-int8.onnx");
        CliRun r = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--format", "onnx", "--input", "64x128",
                "--precision", "int8", "--calibrate-data", images.toString(), "--calibrate-images", "2",
                "--out", out.toString(), "--verify", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("int8 QDQ, calibrated on 2 images"), r.out());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals("int8", j.get("precision").asText());
        assertTrue(j.get("argmax_agreement").asDouble() > 0.8, r.out());
        String bytes = new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("QuantizeLinear"), "a QDQ graph");
    }

    @Test
    void reducedPrecisionWhereItCannotRunIsAClearError() {
        CliRun noData = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--precision", "int8",
                "--out", dir.resolve("x.onnx").toString());
        assertNotEquals(0, noData.exitCode());
        assertTrue(noData.err().contains("--calibrate-data"), noData.err());
        assertTrue(Files.notExists(dir.resolve("x.onnx")));
        CliRun djl = CliRun.of("benchmark", "--model", "eseg-lite-s", "--input", "64x128", "--runtime", "djl",
                "--precision", "int8", "--iters", "1");
        assertNotEquals(0, djl.exitCode());
        assertTrue(djl.err().contains("int8 runs on the onnx runtime only"), djl.err());
        CliRun bf16 = CliRun.of("predict", "--checkpoint", checkpoint.toString(), "--precision", "bf16",
                images.toString(), "--out", dir.resolve("pred").toString());
        assertNotEquals(0, bf16.exitCode());
        assertTrue(bf16.err().contains("bf16 has no runtime yet"), bf16.err());
        assertTrue(!bf16.err().contains("\tat "), "no stack trace: " + bf16.err());
    }
}
