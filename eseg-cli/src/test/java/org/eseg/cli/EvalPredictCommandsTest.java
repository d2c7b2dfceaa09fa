package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.eseg.data.DatasetKind;
import org.eseg.data.PairedDataset;
import org.eseg.data.io.ImageFiles;
import org.eseg.model.io.ParameterNames;
import org.eseg.util.NoGrad;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eseg eval, predict and pseudo-label end to end on a tiny untrained model. */
class EvalPredictCommandsTest {

    @TempDir
    static Path shared;

    /** A 3-class model that never predicts class 2 (its classifier bias is -1e4). */
    static Path model;

    /** A folder dataset of 3 classes: two 24x32 images labelled 0, 1 and 255 only. */
    static Path data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        model = TestModels.liteS(shared.resolve("model.eseg"), 3, eseg -> {
            String bias = ParameterNames.of(eseg).keySet().stream()
                    .filter(k -> k.contains("classifier") && k.endsWith("bias")).findFirst().orElseThrow();
            try (NoGrad g = NoGrad.enter()) {
                ParameterNames.of(eseg).get(bias).getArray().set(new NDIndex("2"), -1e4f);
            }
        });
        data = shared.resolve("data");
        Files.createDirectories(data.resolve("images"));
        Files.createDirectories(data.resolve("masks"));
        Files.writeString(data.resolve("classes.txt"), "road 128,64,128\nsky 70,130,180\nperson 220,20,60\n");
        for (int i = 0; i < 2; i++) {
            ImageIO.write(randomImage(24, 32, i, BufferedImage.TYPE_INT_RGB), "png", data.resolve("images/im" + i + ".png").toFile());
            byte[] labels = new byte[24 * 32];
            for (int p = 0; p < labels.length; p++) {
                labels[p] = (byte) (p % 32 < 12 ? 0 : p % 32 < 28 ? 1 : 255);
            }
            ImageFiles.writeGrayPng(data.resolve("masks/im" + i + ".png"), 24, 32, labels);
        }
    }

    static BufferedImage randomImage(int h, int w, long seed, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt());
            }
        }
        return img;
    }

    // ---- eval

    @Test
    void evalPrintsJsonAndWritesCsvAndHeatMap() throws Exception {
        Path out = tmp.resolve("ev");
        CliRun r = CliRun.of("eval", "--checkpoint", model.toString(), "--dataset", "folder", "--data", data.toString(),
                "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals(2, j.get("images").asInt());
        assertTrue(j.get("miou").isNumber());
        assertTrue(j.get("pixel_accuracy").isNumber());
        assertTrue(j.get("mean_class_accuracy").isNumber());
        assertEquals(2 * 24 * 28, j.get("valid_pixels").asLong());
        JsonNode iou = j.get("per_class_iou");
        assertEquals(List.of("road", "sky", "person"), List.copyOf(iterable(iou.fieldNames())));
        assertTrue(iou.get("road").isNumber());
        assertTrue(iou.get("person").isNull(), "never labelled nor predicted: " + iou);
        assertTrue(r.out().contains("per class results:"), r.out());
        assertTrue(r.out().contains("| person |"), r.out());

        List<String> csv = Files.readAllLines(out.resolve("confusion.csv"));
        assertEquals("label\\prediction,road,sky,person", csv.get(0));
        assertEquals(4, csv.size());
        long total = 0;
        for (String line : csv.subList(1, 4)) {
            String[] f = line.split(",");
            for (int k = 1; k < f.length; k++) {
                total += Long.parseLong(f[k]);
            }
            assertEquals("0", f[3], "class 2 is never predicted: " + line);
        }
        assertEquals(2 * 24 * 28, total);
        BufferedImage heat = ImageIO.read(out.resolve("confusion.png").toFile());
        assertNotNull(heat);
        assertTrue(heat.getWidth() > 3 * 20);
        assertEquals(j, new ObjectMapper().readTree(Files.readString(out.resolve("metrics.json"))));
        assertTrue(Files.readString(out.resolve("metrics.txt")).contains("mIoU"));
    }

    @Test
    void evalWithFlipTtaAndSlidingWindows() throws Exception {
        CliRun r = CliRun.of("eval", "--checkpoint", model.toString(), "--dataset", "folder", "--data", data.toString(),
                "--out", tmp.resolve("ev").toString(), "--json", "--limit", "1", "--scales", "1.0", "--flip",
                "--mode", "slide", "--window", "16x16", "--stride", "12x12");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals(1, j.get("images").asInt());
        assertEquals("slide", j.get("mode").asText());
        assertTrue(j.get("flip").asBoolean());
    }

    @Test
    void evalUsageErrors() {
        CliRun r = CliRun.of("eval", "--checkpoint", model.toString(), "--dataset", "folder", "--data", data.toString(),
                "--out", tmp.resolve("ev").toString(), "--mode", "slide");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--window"), r.err());
        r = CliRun.of("eval", "--checkpoint", model.toString(), "--dataset", "folder", "--data", data.toString(),
                "--out", tmp.resolve("ev").toString(), "--scales", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--scales"), r.err());
    }

    @Test
    void everyRuntimeGivesTheSameScoresAndLabels() throws Exception {
        Map<String, JsonNode> scores = new java.util.HashMap<>();
        Map<String, BufferedImage> labels = new java.util.HashMap<>();
        Path img = data.resolve("images/im0.png");
        for (String runtime : List.of("djl-eager", "djl", "onnx")) {
            CliRun r = CliRun.of("eval", "--checkpoint", model.toString(), "--dataset", "folder", "--data",
                    data.toString(), "--out", tmp.resolve("ev-" + runtime).toString(), "--json", "--runtime", runtime);
            assertEquals(0, r.exitCode(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.lastLine());
            assertEquals(runtime, j.get("runtime").asText());
            scores.put(runtime, j);
            Path out = tmp.resolve("pred-" + runtime);
            r = CliRun.of("predict", "--checkpoint", model.toString(), img.toString(), "--out", out.toString(),
                    "--runtime", runtime, "--flip");
            assertEquals(0, r.exitCode(), r.err());
            labels.put(runtime, ImageIO.read(out.resolve("im0_labels.png").toFile()));
        }
        BufferedImage ref = labels.get("djl-eager");
        for (String runtime : List.of("djl", "onnx")) {
            assertEquals(scores.get("djl-eager").get("valid_pixels"), scores.get(runtime).get("valid_pixels"));
            assertEquals(scores.get("djl-eager").get("miou").asDouble(), scores.get(runtime).get("miou").asDouble(),
                    1e-3, runtime);
            int same = 0;
            for (int y = 0; y < ref.getHeight(); y++) {
                for (int x = 0; x < ref.getWidth(); x++) {
                    same += ref.getRaster().getSample(x, y, 0) == labels.get(runtime).getRaster().getSample(x, y, 0)
                            ? 1 : 0;
                }
            }
            assertTrue(same >= 0.99 * ref.getHeight() * ref.getWidth(), runtime + ": " + same + " labels agree");
        }
        CliRun bad = CliRun.of("predict", "--checkpoint", model.toString(), img.toString(), "--out",
                tmp.resolve("bad").toString(), "--runtime", "tensorrt");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--runtime"), bad.err());
    }

    // ---- predict

    @Test
    void predictKeepsTheSizeOfGrayJpegRgbaTinyAndFullSizeImages() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        ImageIO.write(randomImage(20, 30, 1, BufferedImage.TYPE_BYTE_GRAY), "jpg", in.resolve("gray.jpg").toFile());
        ImageIO.write(randomImage(16, 12, 2, BufferedImage.TYPE_INT_ARGB), "png", in.resolve("rgba.png").toFile());
        ImageIO.write(randomImage(17, 23, 3, BufferedImage.TYPE_INT_RGB), "png", in.resolve("tiny.png").toFile());
        ImageIO.write(new BufferedImage(2048, 1024, BufferedImage.TYPE_INT_RGB), "png", in.resolve("full.png").toFile());
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("predict", "--checkpoint", model.toString(), in.toString(), "--out", out.toString(), "--overlay");
        assertEquals(0, r.exitCode(), r.err());
        Map<String, int[]> sizes = Map.of("gray", new int[] {20, 30}, "rgba", new int[] {16, 12},
                "tiny", new int[] {17, 23}, "full", new int[] {1024, 2048});
        for (Map.Entry<String, int[]> e : sizes.entrySet()) {
            for (String kind : List.of("labels", "color", "overlay")) {
                BufferedImage img = ImageIO.read(out.resolve(e.getKey() + "_" + kind + ".png").toFile());
                assertEquals(e.getValue()[0], img.getHeight(), e.getKey() + " " + kind);
                assertEquals(e.getValue()[1], img.getWidth(), e.getKey() + " " + kind);
            }
        }
    }

    @Test
    void predictWithTtaWritesTheSameSizes() throws Exception {
        Path in = tmp.resolve("tiny.png");
        ImageIO.write(randomImage(17, 23, 3, BufferedImage.TYPE_INT_RGB), "png", in.toFile());
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("predict", "--checkpoint", model.toString(), in.toString(), "--out", out.toString(),
                "--scales", "0.5,1.0,2.0", "--flip");
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage img = ImageIO.read(out.resolve("tiny_labels.png").toFile());
        assertEquals(17, img.getHeight());
        assertEquals(23, img.getWidth());
    }

    @Test
    void predictNamesAnUnreadableImageProcessesTheOthersAndFails() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        ImageIO.write(randomImage(10, 12, 1, BufferedImage.TYPE_INT_RGB), "png", in.resolve("a.png").toFile());
        byte[] png = Files.readAllBytes(in.resolve("a.png"));
        Files.write(in.resolve("b.png"), java.util.Arrays.copyOf(png, png.length / 2));
        ImageIO.write(randomImage(10, 12, 2, BufferedImage.TYPE_INT_RGB), "png", in.resolve("c.png").toFile());
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("predict", "--checkpoint", model.toString(), in.toString(), "--out", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("b.png"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("a_labels.png")));
        assertTrue(Files.isRegularFile(out.resolve("c_labels.png")));
        assertFalse(Files.exists(out.resolve("b_labels.png")));
        assertTrue(r.out().contains("2 of 3"), r.out());
    }

    @Test
    void missingOrTruncatedCheckpointIsNamed() throws Exception {
        Path img = tmp.resolve("a.png");
        ImageIO.write(randomImage(10, 12, 1, BufferedImage.TYPE_INT_RGB), "png", img.toFile());
        Path missing = tmp.resolve("nope.eseg");
        for (String cmd : List.of("predict", "eval", "pseudo-label")) {
            CliRun r = run(cmd, missing, img);
            assertEquals(1, r.exitCode(), cmd + ": " + r.err());
            assertTrue(r.err().contains(missing.toString()), cmd + ": " + r.err());
        }
        Path truncated = tmp.resolve("truncated.eseg");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRun r = run("predict", truncated, img);
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(truncated.toString()), r.err());
        assertTrue(r.err().contains("truncated"), r.err());
    }

    private CliRun run(String cmd, Path checkpoint, Path img) {
        String out = tmp.resolve("out-" + cmd).toString();
        return switch (cmd) {
            case "predict" -> CliRun.of("predict", "--checkpoint", checkpoint.toString(), img.toString(), "--out", out);
            case "eval" -> CliRun.of("eval", "--checkpoint", checkpoint.toString(), "--dataset", "folder",
                    "--data", data.toString(), "--out", out);
            default -> CliRun.of("pseudo-label", "--checkpoint", checkpoint.toString(),
                    "--images", img.getParent().toString(), "--out", out);
        };
    }

    @Test
    void anOutputFolderThatCannotBeCreatedIsReportedBeforeAnyWork() throws Exception {
        Path img = tmp.resolve("a.png");
        ImageIO.write(randomImage(10, 12, 1, BufferedImage.TYPE_INT_RGB), "png", img.toFile());
        Path file = tmp.resolve("regular-file");
        Files.writeString(file, "x");
        Path under = file.resolve("out");
        // A missing checkpoint too: the output folder must be reported first, before the model is even read.
        Path missing = tmp.resolve("nope.eseg");
        for (Path out : List.of(file, under)) {
            List<String[]> commands = List.of(
                    new String[] {"predict", "--checkpoint", missing.toString(), img.toString(), "--out", out.toString()},
                    new String[] {"eval", "--checkpoint", missing.toString(), "--dataset", "folder",
                        "--data", data.toString(), "--out", out.toString()},
                    new String[] {"pseudo-label", "--checkpoint", missing.toString(), "--images", tmp.toString(),
                        "--out", out.toString()});
            for (String[] args : commands) {
                CliRun r = CliRun.of(args);
                assertEquals(1, r.exitCode(), args[0] + ": " + r.err());
                assertTrue(r.err().contains("output folder " + out), args[0] + ": " + r.err());
                assertFalse(r.err().contains("nope.eseg"), args[0] + ": " + r.err());
            }
        }
    }

    // ---- pseudo-label

    @Test
    void pseudoLabelWritesAFolderDatasetWithSummary() throws Exception {
        Path in = tmp.resolve("unlabelled");
        Files.createDirectories(in);
        ImageIO.write(randomImage(18, 26, 1, BufferedImage.TYPE_INT_RGB), "png", in.resolve("x.png").toFile());
        ImageIO.write(randomImage(14, 20, 2, BufferedImage.TYPE_INT_RGB), "jpg", in.resolve("y.jpg").toFile());
        Path out = tmp.resolve("pseudo");
        CliRun r = CliRun.of("pseudo-label", "--checkpoint", model.toString(), "--images", in.toString(),
                "--out", out.toString(), "--scales", "1.0", "--flip", "--threshold", "0.6", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals(2, j.get("images").asInt());
        assertEquals(18 * 26 + 14 * 20, j.get("pixels").asLong());
        assertEquals(0.6, j.get("threshold").asDouble(), 1e-6);
        assertTrue(j.get("per_class").get("class2").get("fraction_kept").isNull(), j.toString());
        assertEquals(j, new ObjectMapper().readTree(out.resolve("summary.json").toFile()));
        assertTrue(r.out().contains("kept"), r.out());
        BufferedImage mask = ImageIO.read(out.resolve("masks/y.png").toFile());
        assertEquals(14, mask.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, mask.getType());
        assertTrue(Files.isRegularFile(out.resolve("images/y.jpg")));
        PairedDataset ds = DatasetKind.FOLDER.open(out, null, null, false);
        assertEquals(2, ds.size());
        assertEquals(List.of("class0", "class1", "class2"), ds.classes().names());
        int[] values = org.eseg.data.io.RawMask.read(out.resolve("masks/x.png")).values();
        for (int v : values) {
            assertTrue(v == 0 || v == 1 || v == 255, "label " + v);
        }
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
