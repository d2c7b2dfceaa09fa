package org.eseg.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;

/** Untrained model files for command tests. */
final class TestModels {

    private static final Map<Integer, Path> UNTRAINED = new HashMap<>();

    private TestModels() {}

    /**
     * An untrained ESeg-Lite-S file that tests only read, written once per test JVM (removed at its exit).
     *
     * @param classes its class count
     * @return the file
     */
    static synchronized Path untrained(int classes) {
        return UNTRAINED.computeIfAbsent(classes, c -> {
            try {
                Path dir = Files.createTempDirectory("eseg-test-model");
                dir.toFile().deleteOnExit();
                Path file = dir.resolve("lite-" + c + ".eseg");
                file.toFile().deleteOnExit();
                return liteS(file, c, m -> {});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Saves a freshly initialised ESeg-Lite-S.
     *
     * @param file the model file
     * @param classes its class count
     * @param edit changes the weights before saving (may do nothing)
     * @return the file
     */
    static Path liteS(Path file, int classes, Consumer<EsegModel> edit) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = EsegModel.create(EsegVariants.byName("eseg-lite-s").withClasses(classes));
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            edit.accept(model);
            ModelFile.save(model, file);
        }
        return file;
    }
}
