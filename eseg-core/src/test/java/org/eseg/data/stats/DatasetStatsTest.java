package org.eseg.data.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eseg.data.DataProblem;
import org.eseg.data.DatasetKind;
import org.eseg.data.PairedDataset;
import org.eseg.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStatsTest {

    @TempDir
    Path root;

    @Test
    void reportsEveryProblemInOnePassAndCountsTheGoodPairs() throws IOException {
        Files.writeString(root.resolve("classes.txt"), "a\nb\n");
        // good: 4x6, labels a (left half) and ignore (right half)
        TestImages.rgb(root.resolve("images/good.png"), 4, 6, (x, y) -> 0x404040);
        TestImages.gray(root.resolve("masks/good.png"), 4, 6, (x, y) -> x < 3 ? 0 : 255);
        // converted, not a problem: grayscale image
        TestImages.gray(root.resolve("images/gray.png"), 4, 6, (x, y) -> 9);
        TestImages.gray(root.resolve("masks/gray.png"), 4, 6, (x, y) -> 1);
        // problems
        TestImages.rgb(root.resolve("images/nomask.png"), 4, 6, (x, y) -> 0);
        TestImages.rgb(root.resolve("images/size.png"), 4, 6, (x, y) -> 0);
        TestImages.gray(root.resolve("masks/size.png"), 5, 6, (x, y) -> 0);
        TestImages.rgb(root.resolve("images/range.png"), 4, 6, (x, y) -> 0);
        TestImages.gray(root.resolve("masks/range.png"), 4, 6, (x, y) -> 7);
        Files.writeString(root.resolve("images/junk.png"), "junk");
        TestImages.gray(root.resolve("masks/junk.png"), 4, 6, (x, y) -> 0);
        TestImages.gray(root.resolve("masks/orphan.png"), 4, 6, (x, y) -> 0);

        PairedDataset ds = DatasetKind.FOLDER.open(root, null, null, true);
        DatasetReport r = DatasetStats.compute(ds, 2);
        assertEquals(6, r.images());
        assertEquals(2, r.usable());
        assertEquals(Map.of("4x6", 2), r.sizes());
        assertEquals(Map.of("a", 12L, "b", 24L), r.classPixels());
        assertEquals(12, r.ignorePixels());
        Set<String> files = r.problems().stream().map(p -> p.file().getFileName().toString())
                .collect(Collectors.toSet());
        assertEquals(Set.of("nomask.png", "size.png", "range.png", "junk.png", "orphan.png"), files);
        List<DataProblem> range = r.problems().stream()
                .filter(p -> p.file().getFileName().toString().equals("range.png")).toList();
        assertTrue(range.get(0).message().contains("label 7"), range.toString());
        assertTrue(range.get(0).file().startsWith(root.resolve("masks")));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("gray.png") && n.contains("grayscale")), r.notes()
                .toString());
    }
}
