package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eseg.model.EsegVariants;
import org.eseg.model.complexity.Complexity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eseg ablation} on a tiny synthetic set: one Table 8 row for one step (each row costs tens of seconds
 * here; docs/performance.md has the six-row smoke run, and AblationTableTest the table of several rows).
 */
class AblationCommandTest {

    @TempDir
    Path tmp;

    @Test
    void trainsEachModelWithTheSameSettingsAndPrintsOneTable() throws Exception {
        Path data = tmp.resolve("data");
        CliRun synth = CliRun.of("synth", "--out", data.toString(), "--train", "4", "--val", "2", "--size", "64x128");
        assertEquals(0, synth.exitCode(), synth.err());
        Path out = tmp.resolve("ablation");
        List<String> models = List.of("eseg-s-dlv3p-noatrous");
        String[] args = {"ablation", "--data", data.toString(), "--dataset", "cityscapes", "--steps", "1",
            "--models", String.join(",", models), "--batch", "2", "--crop", "64x128", "--ema-decay", "0",
            "--latency-input", "64x128", "--latency-iterations", "1", "--out", out.toString(), "--json"};
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());

        String[] lines = run.out().strip().split("\\R");
        assertTrue(run.out().contains("GMACs") && run.out().contains("ms @64x128"), run.out());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < models.size(); i++) {
            JsonNode row = json.readTree(lines[lines.length - models.size() + i]);
            String model = models.get(i);
            assertEquals(model, row.get("model").asText());
            // parameters and multiply-adds at the paper's 1024x2048, for the trained class count
            var counts = Complexity.measure(EsegVariants.byName(model).withClasses(19), 1024, 2048).total();
            assertEquals(counts.macs(), row.get("macs").asLong(), model);
            assertEquals(counts.params(), row.get("params").asLong(), model);
            double miou = row.get("miou").asDouble();
            assertTrue(miou >= 0 && miou <= 1, "miou " + miou);
            assertTrue(row.get("latency_ms").asDouble() > 0);
            assertTrue(Files.isRegularFile(Path.of(row.get("checkpoint").asText())), model);
            assertTrue(run.out().contains(model), run.out());
        }
        assertEquals("efficientnet-b1", json.readTree(lines[lines.length - 1]).get("encoder").asText());

        // The same folder again: refused before any training, nothing of the first runs touched.
        CliRun again = CliRun.of(args);
        assertNotEquals(0, again.exitCode());
        assertTrue(again.err().contains(out.resolve(models.get(0)).toString()), again.err());
        assertFalse(again.err().contains("\tat "), "no stack trace: " + again.err());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void anUnknownModelFailsBeforeAnyWork() {
        Path out = tmp.resolve("none");
        CliRun run = CliRun.of("ablation", "--data", tmp.toString(), "--dataset", "cityscapes", "--steps", "1",
                "--models", "eseg-s,no-such-model", "--out", out.toString());
        assertNotEquals(0, run.exitCode());
        assertTrue(run.err().contains("no-such-model"), run.err());
        assertFalse(Files.exists(out), "nothing created");
    }
}
