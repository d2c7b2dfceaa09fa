package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TrainBenchmarkCommandTest {

    @Test
    void timesTrainingStepsOfTheNamedModel() throws Exception {
        CliRun r = CliRun.of("benchmark", "--train", "--model", "eseg-lite-s", "--classes", "4", "--crop", "64x96",
                "--batch", "2", "--steps", "2", "--warmup", "0", "--threads", "1", "--no-ohem", "--ema-decay", "0",
                "--path", "all", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("plain cross-entropy, EMA off"), r.out());
        JsonNode runs = new ObjectMapper().readTree(r.lastLine()).get("train_runs");
        assertEquals(2, runs.size());
        assertEquals("eager-cl", runs.get(1).get("path").asText());
        JsonNode run = runs.get(0);
        assertEquals("eager", run.get("path").asText());
        assertEquals("eseg-lite-s", run.get("model").asText());
        assertEquals("64x96", run.get("crop").asText());
        assertEquals(2, run.get("steps").asInt());
        assertTrue(run.get("ms_mean").asDouble() > 0 && run.get("ms_p50").asDouble() > 0, run.toString());
        assertEquals(2 * 1000 / run.get("ms_mean").asDouble(), run.get("images_per_s").asDouble(), 0.02);
        assertTrue(run.get("peak_rss_mb").asDouble() > 0, run.toString());
        assertTrue(run.get("cpu_ms_mean").asDouble() > 0, run.toString());
    }

    @Test
    void anUnknownPathIsNamed() {
        CliRun r = CliRun.of("benchmark", "--train", "--model", "eseg-lite-s", "--path", "compiled");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("unknown training path 'compiled'"), r.err());
    }

    @Test
    void aCheckpointIsNotATrainingPath() {
        CliRun r = CliRun.of("benchmark", "--train", "--checkpoint", "model.eseg", "--steps", "1");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("--train builds a named model"), r.err());
    }
}
