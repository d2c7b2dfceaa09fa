package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.eseg.infer.runtime.DjlRuntime;
import org.eseg.infer.runtime.FloatTensor;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceCommandsTest {

    @TempDir
    static Path dir;

    static Path checkpoint;

    @BeforeAll
    static void saveModel() throws Exception {
        checkpoint = TestModels.liteS(dir.resolve("lite.eseg"), 5, m -> {});
    }

    @Test
    void benchmarkAllRunsEveryRuntimeSideBySide() throws Exception {
        CliRun r = CliRun.of("benchmark", "--model", "eseg-lite-s", "--input", "64x96", "--runtime", "all",
                "--iters", "2", "--warmup", "1", "--threads", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode runs = new ObjectMapper().readTree(r.lastLine()).get("runs");
        assertEquals(2, runs.size());
        assertEquals("djl", runs.get(0).get("runtime").asText());
        assertEquals("onnx", runs.get(1).get("runtime").asText());
        for (JsonNode run : runs) {
            assertEquals("eseg-lite-s", run.get("model").asText());
            assertEquals("64x96", run.get("input").asText());
            assertTrue(run.get("ms_mean").asDouble() > 0, run.toString());
            assertTrue(run.get("ms_p50").asDouble() > 0, run.toString());
            assertTrue(run.get("peak_rss_mb").asDouble() > 0, run.toString());
            assertTrue(run.get("gmac_per_s").asDouble() > 0, run.toString());
        }
    }

    @Test
    void benchmarkLoadsACheckpoint() throws Exception {
        CliRun r = CliRun.of("benchmark", "--checkpoint", checkpoint.toString(), "--input", "32x48",
                "--runtime", "djl", "--iters", "1", "--warmup", "0", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = new ObjectMapper().readTree(r.lastLine()).get("runs").get(0);
        assertEquals("djl", run.get("runtime").asText());
        assertEquals("eseg-lite-s", run.get("model").asText());
    }

    @Test
    void exportWritesAnOnnxFileThatMatchesTheModel() throws Exception {
        Path out = dir.resolve("lite.onnx");
        CliRun r = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--format", "onnx",
                "--out", out.toString(), "--input", "65x97", "--verify", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.size(out) > 1_000_000, "file size " + Files.size(out));
        JsonNode o = new ObjectMapper().readTree(r.lastLine());
        assertTrue(o.get("max_abs_diff").asDouble() <= 1e-3, o.toString());
        assertTrue(o.get("argmax_agreement").asDouble() >= 0.999, o.toString());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left");
        }
    }

    @Test
    void exportWritesATorchScriptFileThatDjlLoadsAndThatMatchesTheModel() throws Exception {
        Path out = dir.resolve("lite.pt");
        CliRun r = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--format", "torchscript",
                "--out", out.toString(), "--verify", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.lastLine());
        assertEquals("torchscript", o.get("format").asText());
        assertTrue(o.get("max_abs_diff").asDouble() <= 1e-3, o.toString());
        assertTrue(o.get("argmax_agreement").asDouble() >= 0.999, o.toString());
        // The file is an ordinary TorchScript archive: the benchmark-free way to check is to load it again.
        try (var rt = DjlRuntime.open(out, RuntimeOptions.DEFAULT)) {
            var y = rt.logits(new FloatTensor(new float[3 * 40 * 50], new long[] {1, 3, 40, 50}));
            assertEquals(40, y.shape()[2]);
            assertEquals(50, y.shape()[3]);
        }
    }

    @Test
    void exportWithAFixedBatchRunsThatBatch() throws Exception {
        Path out = dir.resolve("lite-b2.onnx");
        CliRun r = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--out", out.toString(),
                "--input", "64x128", "--batch", "2", "--verify", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.lastLine());
        assertEquals(2, o.get("batch").asInt());
        assertTrue(o.get("max_abs_diff").asDouble() <= 1e-3, o.toString());
        CliRun noSize = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--out", dir.resolve("b.onnx").toString(),
                "--batch", "2");
        assertEquals(2, noSize.exitCode());
        assertTrue(noSize.err().contains("--batch"), noSize.err());
        CliRun tsSize = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--format", "torchscript",
                "--out", dir.resolve("c.pt").toString(), "--input", "64x64");
        assertEquals(2, tsSize.exitCode());
        assertTrue(tsSize.err().contains("--input"), tsSize.err());
        CliRun format = CliRun.of("export", "--checkpoint", checkpoint.toString(), "--format", "tflite",
                "--out", dir.resolve("d.x").toString());
        assertEquals(2, format.exitCode());
        assertTrue(format.err().contains("tflite"), format.err());
    }

    @Test
    void corruptCheckpointFailsNamingTheFile() throws Exception {
        Path bad = dir.resolve("random-bytes.eseg");
        byte[] junk = new byte[2048];
        new Random(3).nextBytes(junk);
        Files.write(bad, junk);
        CliRun r = CliRun.of("export", "--checkpoint", bad.toString(), "--out", dir.resolve("x.onnx").toString());
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.err().contains("random-bytes.eseg"), r.err());
    }

    @Test
    void checkpointWhoseWeightsDoNotFitItsModelIsRejected() throws Exception {
        // eseg-s's configuration with eseg-lite-s's weights.
        Path mixed = dir.resolve("mixed.eseg");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(ModelFile.CONFIG_ENTRY, EsegVariants.byName("eseg-s").toJson().getBytes(StandardCharsets.UTF_8));
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel lite = EsegModel.create(EsegVariants.byName("eseg-lite-s"));
            lite.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            entries.put(ModelFile.WEIGHTS_ENTRY, ModelFile.encode(lite));
        }
        ModelFile.writeZip(mixed, entries);
        CliRun r = CliRun.of("benchmark", "--checkpoint", mixed.toString(), "--input", "32x32", "--runtime", "djl");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.err().contains("mixed.eseg") && r.err().contains("tensor"), r.err());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        CliRun runtime = CliRun.of("benchmark", "--model", "eseg-lite-s", "--runtime", "tensorrt");
        assertEquals(2, runtime.exitCode());
        assertTrue(runtime.err().contains("tensorrt"), runtime.err());
        CliRun opset = CliRun.of("export", "--model", "eseg-lite-s", "--out", dir.resolve("y.onnx").toString(),
                "--opset", "7");
        assertEquals(2, opset.exitCode());
        assertTrue(opset.err().contains("opset"), opset.err());
        CliRun both = CliRun.of("benchmark", "--model", "eseg-s", "--checkpoint", checkpoint.toString());
        assertEquals(2, both.exitCode());
        CliRun sizes = CliRun.of("export", "--model", "eseg-lite-s", "--out", "z.onnx", "--input", "64x64", "--dynamic");
        assertEquals(2, sizes.exitCode());
    }
}
