package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eseg.data.io.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict and eval with colliding names, nested folders, huge and unreadable images, and failures. */
class PredictReliabilityTest {

    private static final Path model = TestModels.untrained(3);

    @TempDir
    Path tmp;

    /** Writes a random image of its own size, so that each output can be traced back to its input. */
    private static Path image(Path file, int h, int w) throws IOException {
        Files.createDirectories(file.getParent());
        String format = file.toString().endsWith(".jpg") ? "jpg" : "png";
        ImageIO.write(EvalPredictCommandsTest.randomImage(h, w, h * 31L + w, BufferedImage.TYPE_INT_RGB), format,
                file.toFile());
        return file;
    }

    private static void assertLabels(Path file, int h, int w) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(h, img.getHeight(), file.toString());
        assertEquals(w, img.getWidth(), file.toString());
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    @Test
    void inputsWithTheSameStemGetDistinctOutputs() throws Exception {
        Path in = tmp.resolve("in");
        image(in.resolve("x/a.png"), 10, 11);
        image(in.resolve("y/a.png"), 12, 13);
        image(in.resolve("a.png"), 14, 15);
        image(in.resolve("a.jpg"), 16, 17);
        image(in.resolve("b.png"), 18, 19);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("predict", "--checkpoint", model.toString(), in.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("5 of 5"), r.out());
        assertLabels(out.resolve("x/a_labels.png"), 10, 11);
        assertLabels(out.resolve("y/a_labels.png"), 12, 13);
        assertLabels(out.resolve("a.png_labels.png"), 14, 15);
        assertLabels(out.resolve("a.jpg_labels.png"), 16, 17);
        assertLabels(out.resolve("b_labels.png"), 18, 19);
        assertEquals(10, files(out).size(), files(out).toString());

        // Two files given one by one keep their folders too.
        Path out2 = tmp.resolve("out2");
        r = CliRun.of("predict", "--checkpoint", model.toString(), in.resolve("x/a.png").toString(),
                in.resolve("y/a.png").toString(), "--out", out2.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("x/a_color.png", "x/a_labels.png", "y/a_color.png", "y/a_labels.png"), files(out2));
        assertLabels(out2.resolve("y/a_labels.png"), 12, 13);
    }

    @Test
    void aCityscapesSplitIsSearchedRecursivelyAndItsCitiesMirrored() throws Exception {
        Path val = tmp.resolve("leftImg8bit/val");
        image(val.resolve("frankfurt/frankfurt_000000_000294_leftImg8bit.png"), 16, 32);
        image(val.resolve("munster/munster_000000_000019_leftImg8bit.png"), 20, 24);
        // The output folder inside the input folder: a second run must not segment the first run's outputs.
        Path out = val.resolve("preds");
        for (int run = 0; run < 2; run++) {
            CliRun r = CliRun.of("predict", "--checkpoint", model.toString(), val.toString(), "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("2 of 2"), r.out());
        }
        assertLabels(out.resolve("frankfurt/frankfurt_000000_000294_leftImg8bit_labels.png"), 16, 32);
        assertLabels(out.resolve("munster/munster_000000_000019_leftImg8bit_labels.png"), 20, 24);
        assertEquals(4, files(out).size(), files(out).toString());
    }

    @Test
    void aHugeImageIsRefusedByItsHeaderAndTheImagesAroundItArePredicted() throws Exception {
        Path in = tmp.resolve("in");
        image(in.resolve("a.png"), 12, 16);
        // 20000 x 20000 = 400 megapixels: 49 KB on disk as a 1-bit PNG, 4.8 GB as float RGB.
        ImageIO.write(new BufferedImage(20000, 20000, BufferedImage.TYPE_BYTE_BINARY), "png",
                in.resolve("b.png").toFile());
        image(in.resolve("c.png"), 14, 18);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("predict", "--checkpoint", model.toString(), in.toString(), "--out", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.contains("b.png")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("too large: 20000x20000"), r.err());
        assertTrue(lines.get(0).contains("limit of 64.0 megapixels"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertLabels(out.resolve("a_labels.png"), 12, 16);
        assertLabels(out.resolve("c_labels.png"), 14, 18);
        assertFalse(Files.exists(out.resolve("b_labels.png")));
        assertTrue(r.out().contains("2 of 3"), r.out());

        // The limit is an option; it applies to every command that reads images.
        r = CliRun.of("predict", "--checkpoint", model.toString(), in.resolve("a.png").toString(), "--out",
                tmp.resolve("out2").toString(), "--max-pixels", "100");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("a.png: image too large: 16x12 (WxH) is 192 pixels, above the limit of 100"),
                r.err());
        Path data = dataset(tmp.resolve("data"));
        r = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", data.toString(), "--max-pixels", "100",
                "--json");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("image too large"), r.out());
        r = CliRun.of("pseudo-label", "--checkpoint", model.toString(), "--images", data.resolve("images").toString(),
                "--out", tmp.resolve("pseudo").toString(), "--max-pixels", "100");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("image too large"), r.err());
    }

    /** A folder dataset of three 12x16 pairs, im0..im2, labelled 0 and 1. */
    private static Path dataset(Path root) throws IOException {
        Files.writeString(Files.createDirectories(root).resolve("classes.txt"),
                "road 128,64,128\nsky 70,130,180\nperson 220,20,60\n");
        for (int i = 0; i < 3; i++) {
            image(root.resolve("images/im" + i + ".png"), 12, 16);
            byte[] labels = new byte[12 * 16];
            Arrays.fill(labels, 0, labels.length / 2, (byte) 1);
            Files.createDirectories(root.resolve("masks"));
            ImageFiles.writeGrayPng(root.resolve("masks/im" + i + ".png"), 12, 16, labels);
        }
        return root;
    }

    @Test
    void evalSkipBadLeavesOutAnUnreadableImageAndNamesIt() throws Exception {
        Path data = dataset(tmp.resolve("data"));
        Path bad = data.resolve("images/im1.png");
        byte[] png = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(png, png.length / 2));
        Path out = tmp.resolve("ev");
        CliRun r = CliRun.of("eval", "--checkpoint", model.toString(), "--dataset", "folder", "--data",
                data.toString(), "--out", out.toString(), "--skip-bad", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals(2, j.get("images").asInt());
        assertEquals(1, j.get("skipped").asInt());
        assertEquals(2 * 12 * 16, j.get("valid_pixels").asLong());
        assertTrue(r.err().contains("skipped 1 of 3 images"), r.err());
        assertTrue(r.err().contains(bad.toString()), r.err());
        assertTrue(r.out().contains("evaluated 2 images"), r.out());

        // Without --skip-bad the file is named and the new output folder is not left behind.
        Path out2 = tmp.resolve("ev2/nested");
        r = CliRun.of("eval", "--checkpoint", model.toString(), "--dataset", "folder", "--data", data.toString(),
                "--out", out2.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(bad.toString()), r.err());
        assertFalse(Files.exists(tmp.resolve("ev2")), "created output folders are removed on failure");
    }

    @Test
    void aFailedPredictRemovesOnlyTheEmptyOutputFolderItCreated() throws Exception {
        Path img = image(tmp.resolve("a.png"), 10, 12);
        Path missing = tmp.resolve("nope.eseg");
        Path out = tmp.resolve("new/preds");
        CliRun r = CliRun.of("predict", "--checkpoint", missing.toString(), img.toString(), "--out", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertFalse(Files.exists(tmp.resolve("new")), "created output folders are removed on failure");

        Path empty = tmp.resolve("empty-in");
        Files.createDirectories(empty);
        r = CliRun.of("predict", "--checkpoint", model.toString(), empty.toString(), "--out", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("holds no images"), r.err());
        assertFalse(Files.exists(tmp.resolve("new")));

        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        r = CliRun.of("predict", "--checkpoint", missing.toString(), img.toString(), "--out", mine.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));
        assertEquals(List.of("notes.txt"), files(mine));
    }
}
