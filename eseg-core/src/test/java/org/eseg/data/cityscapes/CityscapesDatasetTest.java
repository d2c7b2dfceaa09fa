package org.eseg.data.cityscapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eseg.data.DataException;
import org.eseg.data.LabeledImage;
import org.eseg.data.PairedDataset;
import org.eseg.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityscapesDatasetTest {

    @TempDir
    Path root;

    private Path image(String split, String city, String stem) throws IOException {
        return TestImages.rgb(root.resolve("leftImg8bit/" + split + "/" + city + "/" + stem + "_leftImg8bit.png"), 6, 40,
                (x, y) -> (x * 6) << 16 | y * 40);
    }

    private Path labelIds(String split, String city, String stem, java.util.function.IntBinaryOperator at)
            throws IOException {
        return TestImages.gray(root.resolve("gtFine/" + split + "/" + city + "/" + stem + "_gtFine_labelIds.png"), 6,
                40, at);
    }

    @Test
    void readsLabelIdsAndMapsEveryIdInAFile() throws IOException {
        image("train", "aachen", "aachen_000000_000019");
        // all ids 0..33 and 255 in one mask: x + 40 * y covers 0..239; clamp ids above 33 to 255
        labelIds("train", "aachen", "aachen_000000_000019", (x, y) -> x <= 33 ? x : 255);
        image("train", "bonn", "bonn_000001_000019");
        labelIds("train", "bonn", "bonn_000001_000019", (x, y) -> 7);
        PairedDataset ds = CityscapesDataset.builder(root).split("train").build();
        assertEquals(2, ds.size());
        assertEquals("aachen_000000_000019", ds.samples().get(0).id());
        LabeledImage li = ds.load(0);
        for (int x = 0; x < 40; x++) {
            int expected = x <= 33 ? CityscapesLabels.trainId(x) : 255;
            assertEquals(expected, li.mask().get(3, x), "label id " + x);
        }
        assertEquals(0, ds.load(1).mask().get(0, 0)); // 7 -> road
        assertEquals(19, ds.classes().size());
    }

    @Test
    void prefersTrainIdFilesAndReadsThemAsTheyAre() throws IOException {
        image("val", "lindau", "lindau_000000_000019");
        labelIds("val", "lindau", "lindau_000000_000019", (x, y) -> 7);
        TestImages.gray(root.resolve("gtFine/val/lindau/lindau_000000_000019_gtFine_labelTrainIds.png"), 6, 40,
                (x, y) -> x < 19 ? x : 255);
        PairedDataset ds = CityscapesDataset.builder(root).split("val").build();
        LabeledImage li = ds.load(0);
        for (int x = 0; x < 40; x++) {
            assertEquals(x < 19 ? x : 255, li.mask().get(0, x));
        }
        PairedDataset ids = CityscapesDataset.builder(root).split("val").preferLabelIds(true).build();
        assertEquals(0, ids.load(0).mask().get(0, 5));
    }

    @Test
    void labelIdOutsideTheTableIsAnErrorNamingTheMask() throws IOException {
        image("train", "a", "a_000000_000019");
        Path mask = labelIds("train", "a", "a_000000_000019", (x, y) -> x == 3 ? 40 : 7);
        PairedDataset ds = CityscapesDataset.builder(root).build();
        DataException e = assertThrows(DataException.class, () -> ds.load(0));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("40"), e.getMessage());
    }

    @Test
    void trainIdAbove18IsAnError() throws IOException {
        image("train", "a", "a_000000_000019");
        Path mask = TestImages.gray(root.resolve("gtFine/train/a/a_000000_000019_gtFine_labelTrainIds.png"), 6, 40,
                (x, y) -> 19);
        DataException e = assertThrows(DataException.class, () -> CityscapesDataset.builder(root).build().load(0));
        assertTrue(e.getMessage().startsWith(mask.toString()), e.getMessage());
    }

    @Test
    void imageWithoutMaskFailsFastOrIsSkippedAndCounted() throws IOException {
        image("train", "a", "a_000000_000019");
        labelIds("train", "a", "a_000000_000019", (x, y) -> 7);
        Path lonely = image("train", "a", "a_000001_000019");
        DataException e = assertThrows(DataException.class, () -> CityscapesDataset.builder(root).build());
        assertEquals(lonely, e.file());
        PairedDataset ds = CityscapesDataset.builder(root).skipBad(true).build();
        assertEquals(1, ds.size());
        assertEquals(1, ds.skipped().size());
        assertEquals(lonely, ds.skipped().get(0).file());
    }

    @Test
    void emptyOrMissingFolderIsAnError() throws IOException {
        assertThrows(DataException.class, () -> CityscapesDataset.builder(root).build());
        Files.createDirectories(root.resolve("leftImg8bit/train"));
        DataException e = assertThrows(DataException.class, () -> CityscapesDataset.builder(root).build());
        assertTrue(e.getMessage().contains("no image/mask pairs"), e.getMessage());
    }

    @Test
    void unknownSplitIsABadArgument() {
        assertThrows(IllegalArgumentException.class, () -> CityscapesDataset.builder(root).split("training"));
    }
}
