package org.eseg.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.LabeledImage;
import org.eseg.data.PairedDataset;
import org.eseg.data.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {

    private static final int H = 8;
    private static final int W = 12;

    @TempDir
    Path root;

    /** Expected labels: class x / 4 (0, 1, 2), with the last row ignored. */
    private static int label(int x, int y) {
        return y == H - 1 ? 255 : x / 4;
    }

    @BeforeEach
    void classes() throws IOException {
        Files.writeString(root.resolve("classes.txt"), """
                # my classes
                road 128,64,128

                traffic sign 220, 220, 0
                sky
                """);
    }

    private void image(String stem) throws IOException {
        TestImages.rgb(root.resolve("images/" + stem + ".png"), H, W, (x, y) -> 0x102030 * (1 + x % 3));
    }

    private void expectLabels(LabeledImage li) {
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(label(x, y), li.mask().get(y, x), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void classesFileGivesNamesAndColours() {
        ClassInfo c = ClassesFile.read(root.resolve("classes.txt"));
        assertEquals(List.of("road", "traffic sign", "sky"), c.names());
        assertEquals(0x804080, c.color(0));
        assertEquals(0xDCDC00, c.color(1));
        assertTrue(c.color(2) != c.color(0) && c.color(2) != c.color(1));
    }

    @Test
    void readsIndexMasks() throws IOException {
        image("a");
        TestImages.gray(root.resolve("masks/a.png"), H, W, FolderDatasetTest::label);
        expectLabels(FolderDataset.builder(root).build().load(0));
    }

    @Test
    void readsPaletteIndicesNotColours() throws IOException {
        image("a");
        // palette colours deliberately unrelated to the class colours
        TestImages.palette(root.resolve("masks/a.png"), H, W, new int[] {0x010203, 0x040506, 0x070809},
                FolderDatasetTest::label);
        expectLabels(FolderDataset.builder(root).build().load(0));
    }

    @Test
    void readsColourMasksThroughTheClassColours() throws IOException {
        image("a");
        ClassInfo c = ClassesFile.read(root.resolve("classes.txt"));
        TestImages.rgb(root.resolve("masks/a.png"), H, W, (x, y) -> {
            int l = label(x, y);
            return l == 255 ? (x % 2 == 0 ? 0x000000 : 0xFFFFFF) : c.color(l); // black and white: ignore
        });
        expectLabels(FolderDataset.builder(root).build().load(0));
    }

    @Test
    void unknownColourNamesFileAndColour() throws IOException {
        image("a");
        Path mask = TestImages.rgb(root.resolve("masks/a.png"), H, W, (x, y) -> x == 5 ? 0x123456 : 0x804080);
        DataException e = assertThrows(DataException.class, () -> FolderDataset.builder(root).build().load(0));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("(18,52,86)"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesTheMask() throws IOException {
        image("a");
        Path mask = TestImages.gray(root.resolve("masks/a.png"), H, W, (x, y) -> 3);
        DataException e = assertThrows(DataException.class, () -> FolderDataset.builder(root).build().load(0));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    }

    @Test
    void maskOfAnotherSizeNamesTheMask() throws IOException {
        image("a");
        Path mask = TestImages.gray(root.resolve("masks/a.png"), H + 1, W, (x, y) -> 0);
        DataException e = assertThrows(DataException.class, () -> FolderDataset.builder(root).build().load(0));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("9x12"), e.getMessage());
    }

    /** Pair a (JPEG) under the train split, b under val. */
    private void trainAndValSplits() throws IOException {
        TestImages.rgb(root.resolve("images/train/a.jpg"), H, W, (x, y) -> 0);
        TestImages.gray(root.resolve("masks/train/a.png"), H, W, FolderDatasetTest::label);
        TestImages.rgb(root.resolve("images/val/b.png"), H, W, (x, y) -> 0);
        TestImages.gray(root.resolve("masks/val/b.png"), H, W, FolderDatasetTest::label);
    }

    @Test
    void splitsUseSubFolders() throws IOException {
        trainAndValSplits();
        PairedDataset train = FolderDataset.builder(root).split("train").build();
        assertEquals(List.of("a"), train.samples().stream().map(s -> s.id()).toList());
        PairedDataset val = FolderDataset.builder(root).split("val").build();
        assertEquals("b", val.samples().get(0).id());
        expectLabels(val.load(0));
    }

    @Test
    void imageWithoutMaskAndMaskWithoutImage() throws IOException {
        image("a");
        TestImages.gray(root.resolve("masks/a.png"), H, W, FolderDatasetTest::label);
        image("b");
        TestImages.gray(root.resolve("masks/c.png"), H, W, FolderDatasetTest::label);
        DataException e = assertThrows(DataException.class, () -> FolderDataset.builder(root).build());
        assertEquals(root.resolve("images/b.png"), e.file());
        PairedDataset ds = FolderDataset.builder(root).skipBad(true).build();
        assertEquals(1, ds.size());
        assertEquals(List.of(root.resolve("images/b.png"), root.resolve("masks/c.png")),
                ds.skipped().stream().map(p -> p.file()).toList());
    }

    @Test
    void emptyFolderIsAnError() throws IOException {
        Files.createDirectories(root.resolve("images"));
        DataException e = assertThrows(DataException.class, () -> FolderDataset.builder(root).build());
        assertEquals(root.resolve("images"), e.file());
    }

    @Test
    void grayscaleRgbaAnd16BitImagesAreConverted() throws IOException {
        TestImages.gray(root.resolve("images/g.png"), H, W, (x, y) -> 100);
        TestImages.rgba(root.resolve("images/r.png"), H, W, (x, y) -> 0x0A141E);
        TestImages.gray16(root.resolve("images/s.png"), H, W, (x, y) -> 65535);
        for (String s : List.of("g", "r", "s")) {
            TestImages.gray(root.resolve("masks/" + s + ".png"), H, W, FolderDatasetTest::label);
        }
        PairedDataset ds = FolderDataset.builder(root).build();
        List<String> notes = new java.util.ArrayList<>();
        LabeledImage g = ds.load(0, notes::add);
        assertArrayEquals(new float[] {100, 100, 100}, new float[] {g.image().get(0, 1, 1), g.image().get(1, 1, 1),
            g.image().get(2, 1, 1)});
        LabeledImage r = ds.load(1, notes::add);
        assertArrayEquals(new float[] {10, 20, 30}, new float[] {r.image().get(0, 1, 1), r.image().get(1, 1, 1),
            r.image().get(2, 1, 1)});
        LabeledImage s = ds.load(2, notes::add);
        assertEquals(255f, s.image().get(1, 0, 0));
        assertTrue(notes.stream().anyMatch(n -> n.contains("grayscale")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("alpha")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("16-bit")), notes.toString());
        expectLabels(s);
    }

    @Test
    void truncatedAndUnreadableImagesNameTheFile() throws IOException {
        Path png = TestImages.rgb(root.resolve("images/a.png"), 64, 64, (x, y) -> x * y * 977);
        TestImages.truncate(png, 0.5);
        Path jpg = TestImages.rgb(root.resolve("images/b.jpg"), 64, 64, (x, y) -> x * y * 977);
        TestImages.truncate(jpg, 0.5);
        Path junk = root.resolve("images/c.png");
        Files.writeString(junk, "not an image");
        for (String s : List.of("a", "b", "c")) {
            TestImages.gray(root.resolve("masks/" + s + ".png"), 64, 64, (x, y) -> 0);
        }
        PairedDataset ds = FolderDataset.builder(root).build();
        for (int i = 0; i < 3; i++) {
            int index = i;
            DataException e = assertThrows(DataException.class, () -> ds.load(index));
            assertEquals(ds.samples().get(i).image(), e.file(), e.getMessage());
        }
    }

    @Test
    void badClassFilesAreRejected() throws IOException {
        Path f = root.resolve("bad.txt");
        Files.writeString(f, "a 1,2,3\nb 1,2,3\n");
        DataException e = assertThrows(DataException.class, () -> ClassesFile.read(f));
        assertEquals(f, e.file());
        Files.writeString(f, "# nothing\n");
        assertThrows(DataException.class, () -> ClassesFile.read(f));
        Files.writeString(f, "a 300,2,3\n");
        assertThrows(DataException.class, () -> ClassesFile.read(f));
    }

    @Test
    void malformedColoursAreErrorsNamingFileAndLine() throws IOException {
        Path f = root.resolve("bad.txt");
        for (String bad : List.of("sky 70,130,180,5", "sky -1,0,0", "sky abc,0,0", "sky 70,130", "sky 70 130 180",
                "70,130,180", "sky 70,130,")) {
            Files.writeString(f, "# header\nroad 128,64,128\n" + bad + "\n");
            DataException e = assertThrows(DataException.class, () -> ClassesFile.read(f), bad);
            assertEquals(f, e.file(), bad);
            assertTrue(e.getMessage().contains("line 3:"), bad + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains("r,g,b"), bad + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains(bad), bad + " -> " + e.getMessage());
        }
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstName() throws IOException {
        Path f = root.resolve("bom.txt");
        Files.write(f, "\uFEFFroad 128,64,128\nsky\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ClassInfo c = ClassesFile.read(f);
        assertEquals(List.of("road", "sky"), c.names());
        assertEquals(0x804080, c.color(0));
        Files.write(f, "\uFEFF# comment\nroad\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("road"), ClassesFile.read(f).names());
    }

    @Test
    void onlySplitFoldersMeansTheTrainSplitByDefault() throws IOException {
        trainAndValSplits();
        PairedDataset ds = FolderDataset.builder(root).build();
        assertEquals(List.of("a"), ds.samples().stream().map(s -> s.id()).toList());
        assertTrue(ds.name().endsWith(":train"), ds.name());
        assertEquals("b", FolderDataset.builder(root).split("val").build().samples().get(0).id());
    }

    @Test
    void splitFoldersWithoutTrainAreNamedInTheError() throws IOException {
        TestImages.rgb(root.resolve("images/fold1/a.png"), H, W, (x, y) -> 0);
        TestImages.rgb(root.resolve("images/fold2/b.png"), H, W, (x, y) -> 0);
        DataException e = assertThrows(DataException.class, () -> FolderDataset.builder(root).build());
        assertEquals(root.resolve("images"), e.file());
        assertTrue(e.getMessage().contains("fold1, fold2"), e.getMessage());
        assertTrue(e.getMessage().contains("split"), e.getMessage());
    }
}
