package org.eseg.data.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eseg.data.DataException;
import org.eseg.data.DatasetKind;
import org.eseg.data.PairedDataset;
import org.eseg.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetValidatorTest {

    @TempDir
    Path root;

    private void pairs(int good, int badLabels, int imagesWithoutMask) throws IOException {
        Files.writeString(root.resolve("classes.txt"), "a\nb\n");
        for (int i = 0; i < good; i++) {
            TestImages.rgb(root.resolve("images/good" + i + ".png"), 4, 6, (x, y) -> 0x404040);
            TestImages.gray(root.resolve("masks/good" + i + ".png"), 4, 6, (x, y) -> 1);
        }
        for (int i = 0; i < badLabels; i++) {
            TestImages.rgb(root.resolve(String.format("images/bad%02d.png", i)), 4, 6, (x, y) -> 0);
            TestImages.gray(root.resolve(String.format("masks/bad%02d.png", i)), 4, 6, (x, y) -> 7);
        }
        for (int i = 0; i < imagesWithoutMask; i++) {
            TestImages.rgb(root.resolve("images/alone" + i + ".png"), 4, 6, (x, y) -> 0);
        }
    }

    @Test
    void everyBadFileIsCountedAndTheFirstTenNamed() throws IOException {
        pairs(2, 10, 2);
        PairedDataset ds = DatasetKind.FOLDER.open(root, null, null, true);
        List<long[]> progress = new ArrayList<>();
        DataException e = assertThrows(DataException.class,
                () -> DatasetValidator.requireValid(List.of(ds), 2, (done, total) -> progress.add(new long[] {done, total})));
        String m = e.getMessage();
        assertTrue(m.startsWith("12 bad files in the data: "), m);
        assertTrue(m.endsWith("(and 2 more problems)"), m);
        assertTrue(m.contains("alone0.png: image without a mask") && m.contains("alone1.png"), m);
        assertTrue(m.contains("bad00.png") && m.contains("label 7"), m);
        assertEquals(ds.size(), progress.size());
        assertEquals(ds.size(), progress.get(progress.size() - 1)[0]);
        assertEquals(ds.size(), progress.get(0)[1]);
    }

    @Test
    void oneMoreProblemIsSingular() throws IOException {
        pairs(1, 10, 1);
        PairedDataset ds = DatasetKind.FOLDER.open(root, null, null, true);
        DataException e = assertThrows(DataException.class, () -> DatasetValidator.requireValid(List.of(ds), 1, null));
        assertTrue(e.getMessage().startsWith("11 bad files"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(and 1 more problem)"), e.getMessage());
    }

    @Test
    void aSingleBadFileIsBlamedByName() throws IOException {
        pairs(1, 1, 0);
        PairedDataset ds = DatasetKind.FOLDER.open(root, null, null, true);
        DataException e = assertThrows(DataException.class, () -> DatasetValidator.requireValid(List.of(ds), 1, null));
        assertEquals(root.resolve("masks/bad00.png"), e.file());
        assertFalse(e.getMessage().contains("more problem"), e.getMessage());
    }

    @Test
    void goodDataPassesAndListingProblemsCountThemselves() throws IOException {
        pairs(3, 0, 0);
        DatasetValidator.requireValid(List.of(DatasetKind.FOLDER.open(root, null, null, true)), 2, null);
        pairs(0, 0, 2);
        DataException e = assertThrows(DataException.class, () -> DatasetKind.FOLDER.open(root, null, null, false));
        assertTrue(e.getMessage().endsWith("image without a mask (expected " + root.resolve("masks/alone0.png")
                + ") (and 1 more problem)"), e.getMessage());
    }
}
