package org.eseg.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eseg.data.DataException;
import org.eseg.data.transform.Augmentation;
import org.eseg.data.transform.Normalization;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    private static final Augmentation AUG = Augmentation.builder().scale(0.75, 1.5).crop(12, 16).flip(0.5)
            .photometric(true).build();

    private static MemoryDataset data(int n) {
        return new MemoryDataset("s", n, 16, 20, Set.of());
    }

    private static List<Batch> take(DataLoader.Builder b, int count) {
        List<Batch> out = new ArrayList<>();
        try (DataLoader l = b.build()) {
            for (int i = 0; i < count; i++) {
                out.add(l.next());
            }
        }
        return out;
    }

    private static void assertSame(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).ids(), b.get(i).ids(), "batch " + i);
            assertArrayEquals(a.get(i).images(), b.get(i).images(), "batch " + i);
            assertArrayEquals(a.get(i).labels(), b.get(i).labels(), "batch " + i);
            assertEquals(a.get(i).position(), b.get(i).position());
        }
    }

    @Test
    void sameSeedSameBatchesForAnyWorkerCount() {
        MemoryDataset ds = data(10);
        List<Batch> w1 = take(DataLoader.builder(ds).batchSize(3).seed(5).transform(AUG).workers(1), 8);
        List<Batch> w1again = take(DataLoader.builder(ds).batchSize(3).seed(5).transform(AUG).workers(1), 8);
        List<Batch> w2 = take(DataLoader.builder(ds).batchSize(3).seed(5).transform(AUG).workers(2), 8);
        List<Batch> w2again = take(DataLoader.builder(ds).batchSize(3).seed(5).transform(AUG).workers(2).prefetch(5), 8);
        List<Batch> w0 = take(DataLoader.builder(ds).batchSize(3).seed(5).transform(AUG).workers(0), 8);
        assertSame(w1, w1again);
        assertSame(w2, w2again);
        assertSame(w1, w2);
        assertSame(w1, w0);
        List<Batch> other = take(DataLoader.builder(ds).batchSize(3).seed(6).transform(AUG).workers(2), 8);
        assertNotEquals(w1.get(0).ids(), other.get(0).ids());
    }

    @Test
    void eachEpochIsAPermutationAndDropsTheRemainder() {
        MemoryDataset ds = data(10);
        try (DataLoader l = DataLoader.builder(ds).batchSize(3).seed(1).build()) {
            assertEquals(3, l.batchesPerEpoch());
            List<List<String>> epochs = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                List<String> ids = new ArrayList<>();
                for (int b = 0; b < 3; b++) {
                    assertEquals(new LoaderState(e, 3 * b), l.state());
                    ids.addAll(l.next().ids());
                }
                assertEquals(9, new HashSet<>(ids).size());
                epochs.add(ids);
            }
            assertNotEquals(epochs.get(0), epochs.get(1)); // reshuffled
            assertEquals(new LoaderState(3, 0), l.state());
        }
    }

    @Test
    void withoutShuffleAndDropLastAnEpochIsTheDatasetInOrder() {
        try (DataLoader l = DataLoader.builder(data(5)).batchSize(2).shuffle(false).dropLast(false).build()) {
            assertEquals(3, l.batchesPerEpoch());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.addAll(l.next().ids());
            }
            assertEquals(List.of("s0", "s1", "s2", "s3", "s4"), ids);
            assertEquals(new LoaderState(1, 0), l.state());
        }
    }

    @Test
    void resumesExactlyFromASavedState() {
        MemoryDataset ds = data(7);
        DataLoader.Builder b = DataLoader.builder(ds).batchSize(2).seed(3).transform(AUG).workers(2);
        List<Batch> all = take(b, 10);
        LoaderState saved;
        List<Batch> resumed;
        try (DataLoader l = DataLoader.builder(ds).batchSize(2).seed(3).transform(AUG).workers(2).build()) {
            for (int i = 0; i < 4; i++) {
                l.next();
            }
            saved = l.state();
        }
        resumed = take(DataLoader.builder(ds).batchSize(2).seed(3).transform(AUG).workers(1).startAt(saved), 6);
        assertSame(all.subList(4, 10), resumed);
        try (DataLoader l = DataLoader.builder(ds).batchSize(2).seed(3).transform(AUG).build()) {
            l.next();
            l.next();
            l.seek(saved);
            assertArrayEquals(all.get(4).images(), l.next().images());
        }
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(ds).batchSize(2).startAt(new LoaderState(0, 1)).build());
    }

    @Test
    void failsFastOnBadDataByDefault() {
        MemoryDataset ds = new MemoryDataset("s", 6, 16, 20, Set.of(2));
        try (DataLoader l = DataLoader.builder(ds).batchSize(6).shuffle(false).build()) {
            DataException e = assertThrows(DataException.class, l::next);
            assertTrue(e.getMessage().contains("s2.png"), e.getMessage());
        }
    }

    @Test
    void skipBadReplacesAndCountsBadSamples() {
        MemoryDataset ds = new MemoryDataset("s", 6, 16, 20, Set.of(1, 4));
        try (DataLoader l = DataLoader.builder(ds).batchSize(3).shuffle(false).skipBad(true).workers(2).build()) {
            Batch a = l.next();
            Batch b = l.next();
            assertEquals(List.of("s0", "s2", "s2"), a.ids());
            assertEquals(List.of("s3", "s5", "s5"), b.ids());
            assertEquals(2, l.skippedCount());
            assertEquals(List.of("s1.png", "s4.png"), l.skippedProblems().stream()
                    .map(p -> p.file().toString()).toList());
        }
    }

    @Test
    void mixesASecondSourceHalfAndHalf() {
        MemoryDataset gt = data(8);
        MemoryDataset pseudo = new MemoryDataset("p", 5, 16, 20, Set.of());
        DataLoader.Builder b = DataLoader.builder(gt).batchSize(4).seed(2).transform(AUG).mix(pseudo, AUG);
        List<Batch> batches = take(b.workers(2), 6);
        Set<String> seenPseudo = new HashSet<>();
        for (Batch x : batches) {
            assertEquals(4, x.size());
            assertEquals(2, x.pseudoLabelled());
            assertTrue(x.ids().get(0).startsWith("s") && x.ids().get(1).startsWith("s"));
            assertTrue(x.ids().get(2).startsWith("p") && x.ids().get(3).startsWith("p"));
            seenPseudo.addAll(x.ids().subList(2, 4));
        }
        assertEquals(5, seenPseudo.size()); // 12 draws cover all 5 pseudo samples
        assertSame(batches, take(DataLoader.builder(gt).batchSize(4).seed(2).transform(AUG).mix(pseudo, AUG)
                .workers(1), 6));
        LoaderState s = batches.get(3).position();
        assertSame(batches.subList(3, 6), take(DataLoader.builder(gt).batchSize(4).seed(2).transform(AUG)
                .mix(pseudo, AUG).startAt(s), 3));
    }

    @Test
    void batchesConvertToNdArrays() {
        try (DataLoader l = DataLoader.builder(data(4)).batchSize(2).shuffle(false).build();
                NDManager m = NDManager.newBaseManager()) {
            Batch b = l.next();
            NDList list = b.toNDList(m);
            NDArray img = list.get(0);
            NDArray lab = list.get(1);
            assertEquals(new Shape(2, 3, 16, 20), img.getShape());
            assertEquals(DataType.FLOAT32, img.getDataType());
            assertEquals(new Shape(2, 16, 20), lab.getShape());
            assertEquals(DataType.INT64, lab.getDataType());
            // sample s0: value (0 + i % 251) at flat CHW position i, normalised
            float v = img.getFloat(0, 1, 0, 5);
            float raw = (16 * 20 + 5) % 251;
            assertEquals((raw / 255f - Normalization.MEAN[1]) / Normalization.STD[1], v, 1e-5);
            assertEquals(1L, lab.getLong(1, 0, 0)); // sample s1: (1 + 0) % 3
            list.close();
        }
    }

    @Test
    void differentSizesWithoutCropAreReportedClearly() {
        MemoryDataset a = new MemoryDataset("s", 2, 16, 20, Set.of());
        MemoryDataset b = new MemoryDataset("p", 2, 10, 20, Set.of());
        try (DataLoader l = DataLoader.builder(a).batchSize(2).mix(b, (x, r) -> x).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, l::next);
            assertTrue(e.getMessage().contains("fixed crop"), e.getMessage());
        }
    }
}
