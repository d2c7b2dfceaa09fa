package org.eseg.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;

/** Model files for command tests. */
final class TestModelFiles {

    private TestModelFiles() {}

    /**
     * Saves an untrained ESeg-Lite-S.
     *
     * @param file the model file to write
     * @param classes its class count
     * @return the file
     */
    static Path untrained(Path file, int classes) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = EsegModel.create(EsegVariants.byName("eseg-lite-s").withClasses(classes));
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            ModelFile.save(model, file);
        }
        return file;
    }
}
