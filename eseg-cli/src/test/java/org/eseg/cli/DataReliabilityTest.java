package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.eseg.data.io.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad and half-written data, refused up front and named: pseudo-label output, training data, class lists, config. */
class DataReliabilityTest {

    private static final int H = 64;
    private static final int W = 128;

    /** An untrained 2-class model, the teacher of the pseudo-label tests. */
    private static final Path model = TestModels.untrained(2);

    @TempDir
    Path tmp;

    private static void image(Path file, long seed) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(EvalPredictCommandsTest.randomImage(H, W, seed, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    private static void mask(Path file, int label) throws Exception {
        byte[] labels = new byte[H * W];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % W < W / 2 ? 0 : label);
        }
        Files.createDirectories(file.getParent());
        ImageFiles.writeGrayPng(file, H, W, labels);
    }

    /** A 2-class folder dataset of good pairs under {@code images/<split>}, or {@code images/} without a split. */
    private static Path folder(Path root, String split, int good) throws Exception {
        Files.createDirectories(root);
        Files.writeString(root.resolve("classes.txt"), "road 128,64,128\nsky 70,130,180\n");
        String sub = split == null ? "" : split + "/";
        for (int i = 0; i < good; i++) {
            image(root.resolve("images/" + sub + "ok" + i + ".png"), i);
            mask(root.resolve("masks/" + sub + "ok" + i + ".png"), 1);
        }
        return root;
    }

    /** Adds a truncated image and a mask with a label out of range. */
    private static List<Path> spoil(Path root) throws Exception {
        Path corrupt = root.resolve("images/corrupt.png");
        image(corrupt, 7);
        byte[] bytes = Files.readAllBytes(corrupt);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        mask(root.resolve("masks/corrupt.png"), 1);
        image(root.resolve("images/label.png"), 8);
        Path badMask = root.resolve("masks/label.png");
        mask(badMask, 9);
        return List.of(corrupt, badMask);
    }

    private static CliRun train(Path data, Path run, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "folder", "--data", data.toString(),
                "--crop", H + "x" + W, "--batch", "2", "--steps", "2", "--workers", "1", "--out", run.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    // ---- item 9: the data is checked before step 1; --skip-bad counts

    @Test
    void trainNamesEveryBadFileBeforeStepOne() throws Exception {
        Path data = folder(tmp.resolve("data"), null, 2);
        List<Path> bad = spoil(data);
        Path run = tmp.resolve("run");
        CliRun r = train(data, run, "--val-split", "none");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("2 bad files in the data"), r.err());
        for (Path f : bad) {
            assertTrue(r.err().contains(f.toString()), f + " not named: " + r.err());
        }
        assertFalse(Files.exists(run.resolve("latest.eseg")));
        assertFalse(Files.exists(run.resolve("metrics.jsonl")));

        // Without the check the loader meets a bad file (both epochs' 4 pairs are read in 2 steps).
        CliRun late = train(data, tmp.resolve("run2"), "--val-split", "none", "--no-validate");
        assertEquals(1, late.exitCode(), late.err());
        assertFalse(late.err().contains("bad files in the data"), late.err());
        assertTrue(bad.stream().anyMatch(f -> late.err().contains(f.toString())), late.err());
    }

    @Test
    void skipBadCountsWhatItSkippedInTheMetricsLog() throws Exception {
        Path data = folder(tmp.resolve("data"), null, 2);
        List<Path> bad = spoil(data);
        Path run = tmp.resolve("run");
        CliRun r = train(data, run, "--val-split", "none", "--skip-bad", "--log-every", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("skipped 2 bad image/mask pairs"), r.err());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        ObjectMapper json = new ObjectMapper();
        JsonNode last = json.readTree(lines.get(lines.size() - 1));
        assertEquals(2, last.get("skipped").asInt(), last.toString());
        assertEquals(2, last.get("skipped_files").size());
        String files = last.get("skipped_files").toString();
        for (Path f : bad) {
            assertTrue(files.contains(f.getFileName().toString()), files);
        }
        assertTrue(json.readTree(lines.get(0)).has("skipped"), lines.get(0));
    }

    // ---- item 14: images/train + images/val

    @Test
    void splitFoldersWorkInStatsAndTrain() throws Exception {
        Path data = folder(tmp.resolve("data"), "train", 3);
        folder(data, "val", 1);
        CliRun stats = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", data.toString(), "--json");
        assertEquals(0, stats.exitCode(), stats.err());
        JsonNode j = new ObjectMapper().readTree(stats.lastLine());
        assertEquals(3, j.get("images").asInt());
        assertTrue(j.get("dataset").asText().endsWith(":train"), j.toString());
        Path run = tmp.resolve("run");
        CliRun r = train(data, run);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(run.resolve("latest.eseg")));
        assertTrue(Files.readString(run.resolve("metrics.jsonl")).contains("miou"), "validated on images/val");

        Path other = tmp.resolve("folds");
        folder(other, "fold1", 1);
        folder(other, "fold2", 1);
        CliRun none = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", other.toString());
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("fold1, fold2"), none.err());
    }

    // ---- item 7: pseudo-label output is complete or absent

    @Test
    void pseudoLabelRefusesAFolderThatIsNotEmptyAndOverwriteReplacesOnlyItsOutput() throws Exception {
        Path in = tmp.resolve("in");
        image(in.resolve("a.png"), 1);
        image(in.resolve("b.png"), 2);
        Path out = tmp.resolve("pseudo");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        CliRun refused = CliRun.of("pseudo-label", "--checkpoint", model.toString(), "--images", in.toString(),
                "--out", out.toString(), "--scales", "1.0");
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains(out + " is not empty") && refused.err().contains("--overwrite"),
                refused.err());
        assertFalse(Files.exists(out.resolve("masks")));
        CliRun notOurs = CliRun.of("pseudo-label", "--checkpoint", model.toString(), "--images", in.toString(),
                "--out", out.toString(), "--scales", "1.0", "--overwrite");
        assertEquals(2, notOurs.exitCode(), notOurs.err());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));

        Files.delete(out.resolve("notes.txt"));
        CliRun first = CliRun.of("pseudo-label", "--checkpoint", model.toString(), "--images", in.toString(),
                "--out", out.toString(), "--scales", "1.0");
        assertEquals(0, first.exitCode(), first.err());
        Files.writeString(out.resolve("notes.txt"), "mine");
        Path in2 = tmp.resolve("in2");
        image(in2.resolve("c.png"), 3);
        CliRun again = CliRun.of("pseudo-label", "--checkpoint", model.toString(), "--images", in2.toString(),
                "--out", out.toString(), "--scales", "1.0");
        assertEquals(2, again.exitCode(), again.err());
        assertTrue(Files.isRegularFile(out.resolve("masks/a.png")), "the first run's output is untouched");

        CliRun replaced = CliRun.of("pseudo-label", "--checkpoint", model.toString(), "--images", in2.toString(),
                "--out", out.toString(), "--scales", "1.0", "--overwrite", "--json");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(List.of("c.png"), names(out.resolve("masks")));
        assertEquals(List.of("c.png"), names(out.resolve("images")));
        assertEquals(1, new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("images").asInt());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    }

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void trainRefusesAPseudoLabelFolderWithoutSummary() throws Exception {
        Path data = folder(tmp.resolve("data"), null, 2);
        Path pseudo = folder(tmp.resolve("pseudo"), null, 2); // pairs and classes, as an interrupted run leaves them
        Path run = tmp.resolve("run");
        CliRun r = train(data, run, "--val-split", "none", "--pseudo-data", pseudo.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(pseudo + ": not a complete pseudo-label folder (no summary.json); "
                + "an interrupted run?"), r.err());
        assertFalse(Files.exists(run));
    }

    // ---- item 13: classes.txt

    @Test
    void malformedClassColoursNameTheLineAndABomIsStripped() throws Exception {
        Path data = folder(tmp.resolve("data"), null, 1);
        Files.writeString(data.resolve("classes.txt"), "road 128,64,128\nsky 70,130,180,5\n");
        CliRun bad = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", data.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains(data.resolve("classes.txt") + ": line 2:"), bad.err());
        assertTrue(bad.err().contains("r,g,b"), bad.err());
        Files.write(data.resolve("classes.txt"), "\uFEFFroad 128,64,128\nsky\n".getBytes(StandardCharsets.UTF_8));
        CliRun bom = CliRun.of("dataset", "stats", "--dataset", "folder", "--data", data.toString(), "--json");
        assertEquals(0, bom.exitCode(), bom.err());
        JsonNode pixels = new ObjectMapper().readTree(bom.lastLine()).get("class_pixels");
        assertEquals(List.of("road", "sky"), List.copyOf(iterable(pixels.fieldNames())));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    // ---- item 15: messages

    @Test
    void configErrorsSayWhatIsWrongInTheOptionsWords() throws Exception {
        Path missing = tmp.resolve("nope.yaml");
        CliRun r = CliRun.of("train", "--config", missing.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("config file not found: " + missing), r.err());

        Path unknown = tmp.resolve("unknown.yaml");
        Files.writeString(unknown, "batch: 2\nfoo: 1\n");
        r = CliRun.of("train", "--config", unknown.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown option 'foo' in " + unknown + "; known: "), r.err());
        assertTrue(r.err().contains("batch") && r.err().contains("cropHeight"), r.err());
        assertFalse(r.err().contains("org.eseg") || r.err().contains("jackson"), r.err());

        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "batch: 2\nlr: [0.1\nsteps: 3\n");
        r = CliRun.of("train", "--config", broken.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(broken.toString()) + ":\\d+: not valid YAML.*"),
                r.err());

        Path typed = tmp.resolve("typed.yaml");
        Files.writeString(typed, "batch: two\n");
        r = CliRun.of("train", "--config", typed.toString(), "--dataset", "folder", "--data", tmp.toString(),
                "--out", tmp.resolve("run").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("option 'batch': expected int, got \"two\""), r.err());
        assertFalse(r.err().contains("java.lang") || r.err().contains("`int`"), r.err());
    }

    @Test
    void aLoggedProgressBarPrintsItsLastLineOnceAndNoUnknownEta() {
        StringWriter log = new StringWriter();
        try (ProgressBars.Bar bar = ProgressBars.start("task", 4, new PrintWriter(log, true))) {
            bar.stepTo(4);
        }
        List<String> lines = log.toString().lines().toList();
        assertEquals(1, lines.size(), log.toString());
        assertTrue(lines.get(0).contains("4/4"), lines.get(0));
        assertFalse(lines.get(0).contains("?"), lines.get(0));
    }
}
