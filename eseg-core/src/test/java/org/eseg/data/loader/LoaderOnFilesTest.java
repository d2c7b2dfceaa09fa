package org.eseg.data.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eseg.data.DataException;
import org.eseg.data.DatasetKind;
import org.eseg.data.PairedDataset;
import org.eseg.data.TestImages;
import org.eseg.data.transform.Augmentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader over real files: a damaged pair fails fast, or is skipped and counted with skipBad. */
class LoaderOnFilesTest {

    @TempDir
    Path root;

    private PairedDataset dataset() throws IOException {
        Files.writeString(root.resolve("classes.txt"), "a\nb\n");
        for (int i = 0; i < 4; i++) {
            int v = i;
            TestImages.rgb(root.resolve("images/" + i + ".png"), 24, 32, (x, y) -> 0x203040 + v);
            TestImages.gray(root.resolve("masks/" + i + ".png"), 24, 32, (x, y) -> (x + v) % 2);
        }
        TestImages.truncate(TestImages.rgb(root.resolve("images/2.png"), 24, 32, (x, y) -> x * 99991 + y * 7),
                0.4);
        return DatasetKind.FOLDER.open(root, null, null, false);
    }

    @Test
    void damagedFileFailsFastOrIsSkipped() throws IOException {
        PairedDataset ds = dataset();
        Augmentation aug = Augmentation.builder().crop(16, 16).flip(0.5).build();
        try (DataLoader l = DataLoader.builder(ds).batchSize(4).shuffle(false).transform(aug).build()) {
            DataException e = assertThrows(DataException.class, l::next);
            assertEquals(root.resolve("images/2.png"), e.file());
        }
        try (DataLoader l = DataLoader.builder(ds).batchSize(4).shuffle(false).transform(aug).skipBad(true)
                .workers(2).build()) {
            Batch b = l.next();
            assertEquals(java.util.List.of("0", "1", "3", "3"), b.ids());
            assertEquals(1, l.skippedCount());
            assertTrue(l.skippedProblems().get(0).message().contains("decode"), l.skippedProblems().toString());
        }
    }
}
