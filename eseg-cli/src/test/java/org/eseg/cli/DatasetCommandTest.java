package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.eseg.data.synth.SynthGenerator;
import org.eseg.data.synth.SynthOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {

    @TempDir
    Path tmp;

    private static void png(Path file, int h, int w, int type, int value) throws Exception {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void statsOfTheSyntheticSetAsJson() throws Exception {
        SynthGenerator.generate(tmp, SynthOptions.builder().size(64, 128).train(3).val(1).seed(1).build());
        CliRun r = CliRun.of("dataset", "stats", "--dataset", "cityscapes", "--data", tmp.toString(),
                "--split", "train", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals(3, j.get("images").asInt());
        assertEquals(0, j.get("problems").size());
        assertEquals(0, j.get("ignore_pixels").asLong());
        long total = 0;
        for (JsonNode v : j.get("class_pixels")) {
            total += v.asLong();
        }
        assertEquals(3L * 64 * 128, total);
        assertTrue(j.get("class_pixels").get("car").asLong() > 0);
        assertEquals(3, j.get("sizes").get("64x128").asInt());
    }

    @Test
    void statsListsEveryProblemAndStillSucceeds() throws Exception {
        Files.writeString(tmp.resolve("classes.txt"), "road 128,64,128\nsky 70,130,180\n");
        png(tmp.resolve("images/ok.png"), 4, 4, BufferedImage.TYPE_3BYTE_BGR, 0);
        png(tmp.resolve("masks/ok.png"), 4, 4, BufferedImage.TYPE_BYTE_GRAY, 1);
        png(tmp.resolve("images/bad.png"), 4, 4, BufferedImage.TYPE_3BYTE_BGR, 0);
        png(tmp.resolve("masks/bad.png"), 4, 4, BufferedImage.TYPE_BYTE_GRAY, 9);
        png(tmp.resolve("images/alone.png"), 4, 4, BufferedImage.TYPE_3BYTE_BGR, 0);
        CliRun r = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", tmp.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals(3, j.get("images").asInt());
        assertEquals(16, j.get("class_pixels").get("sky").asLong());
        List<String> files = new ArrayList<>();
        j.get("problems").forEach(p -> files.add(Path.of(p.get("file").asText()).getFileName().toString()));
        assertEquals(List.of("alone.png", "bad.png"), files.stream().sorted().toList());
        CliRun text = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", tmp.toString());
        assertEquals(0, text.exitCode());
        assertTrue(text.out().contains("problems: 2"), text.out());
    }

    @Test
    void statsExitCodesForMissingEmptyAndUnusableData() throws Exception {
        CliRun missing = CliRun.of("dataset", "stats", "--dataset", "cityscapes", "--data",
                tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope"), missing.err());
        Files.createDirectories(tmp.resolve("leftImg8bit/train"));
        CliRun empty = CliRun.of("dataset", "stats", "--dataset", "cityscapes", "--data", tmp.toString());
        assertEquals(1, empty.exitCode());
        assertTrue(empty.err().contains("no image/mask pairs"), empty.err());
        Path f = tmp.resolve("f");
        Files.writeString(Files.createDirectories(f).resolve("classes.txt"), "a\n");
        png(f.resolve("images/x.png"), 4, 4, BufferedImage.TYPE_3BYTE_BGR, 0);
        png(f.resolve("masks/x.png"), 4, 4, BufferedImage.TYPE_BYTE_GRAY, 3);
        CliRun unusable = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", f.toString(),
                "--json");
        assertEquals(1, unusable.exitCode());
        assertEquals(1, new ObjectMapper().readTree(unusable.lastLine()).get("problems").size());
        assertEquals(2, CliRun.of("dataset", "stats", "--dataset", "nosuch", "--data", f.toString()).exitCode());
    }

    @Test
    void benchPrintsImagesPerSecondPerWorkerCount() {
        CliRun r = CliRun.of("dataset", "bench", "--size", "64x128", "--crop", "32x64", "--images", "2",
                "--samples", "4", "--workers", "1,2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("workers 1:") && r.out().contains("workers 2:"), r.out());
        assertTrue(r.out().contains("images/s"));
        assertEquals(2, CliRun.of("dataset", "bench", "--crop", "axb").exitCode());
    }
}
