package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.eseg.data.cityscapes.CityscapesLabels;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.synth.SynthGenerator;
import org.eseg.data.synth.SynthImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Mapillary Vistas layout end to end on a generated fixture: stats, training with the long-side resize, errors. */
class MapillaryCommandsTest {

    private static final int H = 64;
    private static final int W = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    @TempDir
    Path tmp;

    /**
     * Synthetic street scenes in the Mapillary layout: a config_v1.2.json listing the generator's nine classes and
     * "Unlabeled" (not evaluated), JPEG images and masks of label indices into that list.
     */
    @BeforeAll
    static void writeFixture() throws Exception {
        List<String> names = SynthGenerator.classNames();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            int c = CityscapesLabels.info().color(SynthGenerator.TRAIN_IDS[i]);
            labels.append(String.format("{\"name\": \"synth--%d\", \"readable\": \"%s\", \"color\": [%d, %d, %d], "
                    + "\"evaluate\": true},%n", i, names.get(i), c >> 16, (c >> 8) & 0xFF, c & 0xFF));
        }
        labels.append("{\"name\": \"void--unlabeled\", \"readable\": \"Unlabeled\", \"color\": [0, 0, 0], "
                + "\"evaluate\": false}");
        Files.writeString(data.resolve("config_v1.2.json"), "{\"labels\": [" + labels + "]}");
        for (String split : List.of("training", "validation")) {
            for (int i = 0; i < (split.equals("training") ? 4 : 2); i++) {
                SynthImage s = SynthGenerator.render(H, W, 5, split, i);
                String key = split + "_" + i;
                BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
                byte[] labelIndex = new byte[H * W];
                for (int p = 0; p < H * W; p++) {
                    img.setRGB(p % W, p / W, ((s.rgb()[3 * p] & 0xFF) << 16) | ((s.rgb()[3 * p + 1] & 0xFF) << 8)
                            | (s.rgb()[3 * p + 2] & 0xFF));
                    labelIndex[p] = (byte) indexOf(CityscapesLabels.trainId(s.labelIds()[p] & 0xFF), names.size());
                }
                Path jpg = data.resolve(split + "/images/" + key + ".jpg");
                Files.createDirectories(jpg.getParent());
                ImageIO.write(img, "jpg", jpg.toFile());
                ImageFiles.writeGrayPng(data.resolve(split + "/v1.2/labels/" + key + ".png"), H, W, labelIndex);
            }
        }
    }

    /** The label index of a train id in the fixture's config; anything else is the last label, "Unlabeled". */
    private static int indexOf(int trainId, int unlabeled) {
        for (int k = 0; k < SynthGenerator.TRAIN_IDS.length; k++) {
            if (SynthGenerator.TRAIN_IDS[k] == trainId) {
                return k;
            }
        }
        return unlabeled;
    }

    @Test
    void statsCountEveryPixelOfTheNineEvaluatedClasses() throws Exception {
        CliRun r = CliRun.of("dataset", "stats", "--dataset", "mapillary", "--data", data.toString(),
                "--split", "training", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.lastLine());
        assertEquals(4, j.get("images").asInt());
        assertEquals(0, j.get("problems").size());
        long total = j.get("ignore_pixels").asLong();
        for (JsonNode v : j.get("class_pixels")) {
            total += v.asLong();
        }
        assertEquals(4L * H * W, total);
        assertEquals(9, j.get("class_pixels").size());
        assertTrue(j.get("class_pixels").get("road").asLong() > 0, j.toString());
    }

    @Test
    void trainsWithTheLongSideResizeAndValidatesOnTheValidationSplit() throws Exception {
        Path run = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--dataset", "mapillary", "--data", data.toString(), "--crop", "64x64",
                "--batch", "2", "--steps", "2", "--workers", "1", "--long-side", "96", "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode options = JSON.readTree(run.resolve("train-options.json").toFile());
        assertEquals(96, options.get("longSide").asInt());
        assertEquals("MAPILLARY", options.get("dataset").asText());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertTrue(last.has("miou"), "validation ran on the validation split: " + last);
    }

    @Test
    void aFolderWithoutTheLayoutOrItsConfigIsNamed() throws Exception {
        CliRun none = CliRun.of("dataset", "stats", "--dataset", "mapillary", "--data", tmp.toString());
        assertNotEquals(0, none.exitCode());
        assertTrue(none.err().contains(tmp.resolve("training/images").toString()), none.err());

        Files.createDirectories(tmp.resolve("training/images"));
        CliRun noConfig = CliRun.of("dataset", "stats", "--dataset", "mapillary_v2", "--data", tmp.toString());
        assertNotEquals(0, noConfig.exitCode());
        assertTrue(noConfig.err().contains("config_v2.0.json"), noConfig.err());
        assertTrue(!noConfig.err().contains("\tat "), "no stack trace: " + noConfig.err());
    }
}
