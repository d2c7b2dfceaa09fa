package org.eseg.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eseg.data.ClassInfo;
import org.eseg.data.DatasetKind;
import org.eseg.data.LabeledImage;
import org.eseg.data.PairedDataset;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Confidence thresholding and the folder dataset the labeller writes. */
class PseudoLabelerTest {

    @TempDir
    Path tmp;

    @Test
    void confidenceEqualToTheThresholdIsKeptBelowIsIgnored() {
        // A hand-made (3, 1, 5) probability map: per pixel, class probabilities summing to 1.
        float below = Math.nextDown(0.5f);
        float above = Math.nextUp(0.5f);
        float[] p = {
            // class 0
            0.5f, below, 0.1f, 0.25f, 1f,
            // class 1
            0.25f, 0.25f, above, 0.5f, 0f,
            // class 2
            0.25f, 0.25f, 0.4f, 0.25f, 0f,
        };
        Segmentation s = Segmentation.fromProbabilities(p, 3, 1, 5);
        assertArrayEquals(new byte[] {0, 0, 1, 1, 0}, s.labels());
        assertArrayEquals(new float[] {0.5f, below, above, 0.5f, 1f}, s.confidence());
        byte[] labels = PseudoLabeler.threshold(s, 0.5f);
        byte x = (byte) 255;
        assertArrayEquals(new byte[] {0, x, 1, 1, 0}, labels);
        assertArrayEquals(new byte[] {x, x, x, x, 0}, PseudoLabeler.threshold(s, 1f));
        assertArrayEquals(new byte[] {0, 0, 1, 1, 0}, PseudoLabeler.threshold(s, 0f));
    }

    @Test
    void writesAFolderDatasetThatTrainingReads() throws Exception {
        Path in = tmp.resolve("unlabelled");
        Files.createDirectories(in.resolve("sub"));
        RgbImage a = TestSegmenters.image(20, 28, 1);
        writePng(in.resolve("a.png"), a);
        writePng(in.resolve("sub/b.png"), TestSegmenters.image(18, 24, 2));
        Files.writeString(in.resolve("broken.png"), "not a png");
        List<Path> files = PseudoLabeler.listImages(in);
        assertEquals(3, files.size());
        Path out = tmp.resolve("pseudo");
        ClassInfo classes = new ClassInfo(List.of("road", "traffic sign", "sky"), new int[] {0x804080, 0xDCDC00, 0x4682B4});
        try (NDManager m = NDManager.newBaseManager();
                Segmenter s = Segmenter.of(TestSegmenters.model(m, 3), classes, m)) {
            PseudoLabeler labeler = new PseudoLabeler(s, InferenceOptions.tta(List.of(1.0), true), 0.4, out);
            PseudoLabeler.Summary summary = labeler.run(files, null);
            assertEquals(2, summary.images());
            assertEquals(1, summary.failures().size());
            assertTrue(summary.failures().get(0).file().endsWith("broken.png"));
            assertEquals(20 * 28 + 18 * 24, summary.pixels());
            assertEquals(summary.kept(), summary.classes().stream().mapToLong(PseudoLabeler.ClassCount::kept).sum());
            assertEquals(summary.pixels(), summary.classes().stream().mapToLong(PseudoLabeler.ClassCount::pixels).sum());

            // The mask is the thresholded TTA prediction.
            byte[] want = PseudoLabeler.threshold(s.segment(a, InferenceOptions.tta(List.of(1.0), true)), 0.4f);
            int[] got = org.eseg.data.io.RawMask.read(out.resolve("masks/a.png")).values();
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i] & 0xFF, got[i], "pixel " + i);
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("images/a.png")));
        assertTrue(Files.isRegularFile(out.resolve("images/b.png")));
        assertTrue(Files.notExists(out.resolve("masks/broken.png")));
        assertTrue(Files.notExists(out.resolve("images/broken.png")));
        JsonNode j = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, j.get("images").asInt());
        assertTrue(j.get("per_class").has("traffic sign"));

        PairedDataset ds = DatasetKind.FOLDER.open(out, null, null, false);
        assertEquals(classes, ds.classes());
        assertEquals(2, ds.size());
        LabeledImage li = ds.load(0);
        assertEquals(20, li.mask().height());
    }

    @Test
    void duplicateStemsAreRejected() throws Exception {
        Path in = tmp.resolve("dup");
        Files.createDirectories(in.resolve("x"));
        writePng(in.resolve("a.png"), TestSegmenters.image(4, 4, 1));
        writePng(in.resolve("x/a.png"), TestSegmenters.image(4, 4, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.listImages(in));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    static void writePng(Path file, RgbImage img) throws Exception {
        int n = img.height() * img.width();
        byte[] rgb = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                rgb[3 * i + c] = (byte) img.data()[c * n + i];
            }
        }
        ImageFiles.writeRgbPng(file, img.height(), img.width(), rgb);
    }
}
