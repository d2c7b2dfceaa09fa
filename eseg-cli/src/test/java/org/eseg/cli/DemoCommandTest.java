package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end, with a tiny dataset and a budget so small that training runs its minimum. */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void twoRunsIntoOneFolderEachWriteTheirOwnOutputs() throws Exception {
        Path out = tmp.resolve("demo");
        String[] args = {"demo", "--out", out.toString(), "--minutes", "0.1", "--train-images", "8",
            "--val-images", "2", "--json"};
        CliRun first = CliRun.of(args);
        assertEquals(0, first.exitCode(), first.err());
        CliRun second = CliRun.of(args);
        assertEquals(0, second.exitCode(), second.err());

        JsonNode a = new ObjectMapper().readTree(first.lastLine());
        JsonNode b = new ObjectMapper().readTree(second.lastLine());
        assertEquals(out.resolve("run-1").toString(), a.get("out").asText());
        assertEquals(out.resolve("run-2").toString(), b.get("out").asText());
        double miou = a.get("miou").asDouble();
        assertTrue(miou >= 0 && miou <= 1, "miou " + miou);
        assertTrue(first.out().contains("mIoU"), first.out());
        assertTrue(second.err().contains("using the synthetic dataset"), "the second run reuses the data");

        Path run = Path.of(a.get("out").asText());
        assertNotNull(ImageIO.read(run.resolve("curves.png").toFile()));
        assertNotNull(ImageIO.read(run.resolve("confusion.png").toFile()));
        assertTrue(Files.readString(run.resolve("confusion.csv")).contains("road"));
        try (Stream<Path> preds = Files.list(run.resolve("predictions"))) {
            var files = preds.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(6, files.size(), files.toString()); // labels, color, overlay for 2 images
            for (String f : files) {
                var img = ImageIO.read(run.resolve("predictions").resolve(f).toFile());
                assertEquals(256, img.getHeight());
                assertEquals(512, img.getWidth());
            }
        }
        assertFalse(Files.exists(run.resolve("calibration")), "scratch folder removed");
    }

    @Test
    void anUnwritableOutputFolderFailsAtOnce() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun r = CliRun.of("demo", "--out", file.resolve("demo").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(file.resolve("demo").toString()), r.err());
    }

    @Test
    void anUnknownModelIsAUsageError() {
        CliRun r = CliRun.of("demo", "--out", tmp.toString(), "--model", "nope");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("eseg-lite-s"), r.err());
    }
}
