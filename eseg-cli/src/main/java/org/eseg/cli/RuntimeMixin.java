package org.eseg.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.eseg.infer.Segmenter;
import org.eseg.infer.runtime.Precision;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.train.checkpoint.Checkpoint;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The engine options shared by predict, eval and pseudo-label. */
final class RuntimeMixin {

    @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "djl",
            description = "What runs the network: djl (compiled TorchScript on DJL, default), onnx (ONNX Runtime) "
                    + "or djl-eager (the model's own DJL blocks). All give the same labels up to float round-off.")
    String runtime;

    @Mixin
    ThreadsMixin threads;

    @Mixin
    PrecisionMixin precision;

    /**
     * Opens a checkpoint on the chosen runtime.
     *
     * @param checkpoint model file, checkpoint or run folder
     * @return the segmenter
     * @throws IOException if the checkpoint cannot be read
     */
    Segmenter open(Path checkpoint) throws IOException {
        return open(checkpoint, precision.get());
    }

    /**
     * Opens a checkpoint on the chosen runtime in a given precision.
     *
     * @param checkpoint model file, checkpoint or run folder
     * @param p the precision, overriding {@code --precision}
     * @return the segmenter
     * @throws IOException if the checkpoint cannot be read
     */
    Segmenter open(Path checkpoint, Precision p) throws IOException {
        RuntimeKind kind;
        try {
            kind = RuntimeKind.parse(runtime);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--runtime: " + e.getMessage(), e);
        }
        return Segmenter.load(Checkpoint.resolve(checkpoint), kind,
                precision.apply(threads.runtimeOptions(), p));
    }
}
