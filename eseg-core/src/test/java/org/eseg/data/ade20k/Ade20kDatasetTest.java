package org.eseg.data.ade20k;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import org.eseg.data.DataException;
import org.eseg.data.LabeledImage;
import org.eseg.data.PairedDataset;
import org.eseg.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ade20kDatasetTest {

    @TempDir
    Path root;

    @Test
    void zeroBecomesIgnoreAndTheRestShiftDownByOne() throws IOException {
        Path base = root.resolve("ADEChallengeData2016");
        TestImages.rgb(base.resolve("images/training/ADE_train_00000001.jpg"), 4, 160, (x, y) -> 0x808080);
        TestImages.gray(base.resolve("annotations/training/ADE_train_00000001.png"), 4, 160,
                (x, y) -> x <= 150 ? x : 255);
        PairedDataset ds = Ade20kDataset.builder(root).split("train").build();
        LabeledImage li = ds.load(0);
        assertEquals(255, li.mask().get(0, 0));
        for (int x = 1; x <= 150; x++) {
            assertEquals(x - 1, li.mask().get(2, x));
        }
        assertEquals(255, li.mask().get(0, 155));
    }

    @Test
    void valuesAbove150AreErrors() throws IOException {
        TestImages.rgb(root.resolve("images/validation/a.jpg"), 4, 4, (x, y) -> 0);
        Path mask = TestImages.gray(root.resolve("annotations/validation/a.png"), 4, 4, (x, y) -> 151);
        PairedDataset ds = Ade20kDataset.builder(root).split("validation").build();
        DataException e = assertThrows(DataException.class, () -> ds.load(0));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("151"));
        assertEquals(255, Ade20kDataset.trainId(0));
        assertEquals(149, Ade20kDataset.trainId(150));
        assertThrows(IllegalArgumentException.class, () -> Ade20kDataset.trainId(151));
    }

    @Test
    void has150NamedClassesWithDistinctNames() {
        var info = Ade20kClasses.info();
        assertEquals(150, info.size());
        assertEquals("wall", info.name(0));
        assertEquals("flag", info.name(149));
        assertEquals(150, new HashSet<>(info.names()).size());
        assertEquals(0x787878, info.color(0));
    }
}
