package org.eseg.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    Path dir;

    private static EsegModel trainedLooking(EsegConfig c, NDManager m) {
        EsegModel model = EsegModel.create(c);
        model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        // Move BN statistics and fusion weights off their initial values so a lost tensor would show.
        ParameterNames.of(model).forEach((name, p) -> {
            if (name.endsWith("runningMean") || name.endsWith("weights")) {
                p.getArray().addi(0.3f);
            }
        });
        return model;
    }

    private static float[] predict(EsegModel model, NDManager m) {
        NDArray x = m.randomNormal(0, 1, new Shape(1, 3, 45, 61), DataType.FLOAT32, m.getDevice());
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
        x = m.arange(3f * 45 * 61).reshape(1, 3, 45, 61).mul(0.01f).sin();
        return model.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() throws IOException {
        Path file = dir.resolve("model.eseg");
        EsegConfig c = EsegVariants.byName("eseg-lite-s").withClasses(5).withLevels(3, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = trainedLooking(c, m);
            float[] before = predict(model, m);
            ModelFile.save(model, file);
            try (NDManager m2 = NDManager.newBaseManager()) {
                EsegModel loaded = ModelFile.load(file, m2);
                assertEquals(c, loaded.config());
                assertArrayEquals(before, predict(loaded, m2));
            }
        }
        assertEquals(c, ModelFile.readConfig(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void truncatedFileIsNamedInTheError() throws IOException {
        Path file = dir.resolve("model.eseg");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelFile.save(trainedLooking(EsegVariants.byName("eseg-lite-s"), m), file);
            byte[] all = Files.readAllBytes(file);
            Path cut = dir.resolve("cut.eseg");
            Files.write(cut, Arrays.copyOf(all, all.length / 2));
            IOException e = assertThrows(IOException.class, () -> ModelFile.load(cut, m));
            assertTrue(e.getMessage().contains("cut.eseg"), e.getMessage());
        }
    }

    @Test
    void missingAndForeignFilesGiveClearErrors() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            IOException missing = assertThrows(IOException.class, () -> ModelFile.load(dir.resolve("nope.eseg"), m));
            assertTrue(missing.getMessage().contains("nope.eseg"), missing.getMessage());
            Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
            IOException foreign = assertThrows(IOException.class, () -> ModelFile.load(text, m));
            assertTrue(foreign.getMessage().contains("notes.txt"), foreign.getMessage());
        }
    }

    @Test
    void weightsOfAnotherArchitectureNameTheTensor() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel small = trainedLooking(EsegVariants.byName("eseg-lite-s"), m);
            EsegModel other = trainedLooking(EsegVariants.byName("eseg-lite-s").withClasses(3), m);
            IOException e = assertThrows(IOException.class,
                    () -> ModelFile.loadInto(other, ModelFile.encode(small), m, "src.eseg"));
            assertTrue(e.getMessage().contains("head.classifier.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("src.eseg"), e.getMessage());
            EsegModel fpn = trainedLooking(EsegVariants.byName("eseg-lite-s").withLevels(3, 7), m);
            IOException missing = assertThrows(IOException.class,
                    () -> ModelFile.loadInto(small, ModelFile.encode(fpn), m, "src.eseg"));
            assertFalse(missing.getMessage().isBlank());
        }
    }

    @Test
    void classNamesAndPaletteAreStoredInTheModelFile() throws IOException {
        Path named = dir.resolve("named.eseg");
        Path bare = dir.resolve("bare.eseg");
        StoredClasses classes = new StoredClasses(List.of("road", "sky", "car"), new int[] {0x804080, 0x4682b4, 0x00008e});
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = trainedLooking(EsegVariants.byName("eseg-lite-s").withClasses(3), m);
            ModelFile.save(model, classes, named);
            ModelFile.save(model, bare);
            StoredClasses read = ModelFile.readClasses(named);
            assertEquals(classes.names(), read.names());
            assertArrayEquals(classes.colors(), read.colors());
            assertNull(ModelFile.readClasses(bare), "a bare model file has no class names");
            StoredClasses two = new StoredClasses(List.of("road", "sky"), new int[] {1, 2});
            assertThrows(IllegalArgumentException.class, () -> ModelFile.save(model, two, dir.resolve("x.eseg")));
        }
    }

    @Test
    void aFolderIsNotAModelFile() {
        try (NDManager m = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> ModelFile.load(dir, m));
            assertTrue(e.getMessage().contains("folder"), e.getMessage());
        }
    }
}
