package org.eseg.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import org.eseg.model.EsegModel;
import org.eseg.model.io.ModelFile;
import org.eseg.train.checkpoint.Checkpoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where a command's model comes from: a named architecture with random weights, or a saved model file. */
final class ModelSource {

    @ArgGroup(exclusive = false, heading = "Architecture (random weights):%n")
    ModelOptions architecture;

    @Option(names = "--checkpoint", paramLabel = "PATH",
            description = "A model file written by eseg (config and weights).")
    Path checkpoint;

    /** Loads or builds the model on a manager; IOException names the file when it cannot be read. */
    EsegModel open(NDManager manager) throws IOException {
        if (checkpoint != null) {
            return ModelFile.load(Checkpoint.resolve(checkpoint), manager);
        }
        EsegModel model = EsegModel.create(architecture.toConfig());
        // Parameter shapes do not depend on the image size; any size initialises them.
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return model;
    }
}
