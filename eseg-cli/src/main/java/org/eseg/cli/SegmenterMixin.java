package org.eseg.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.eseg.infer.Segmenter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the commands that segment images with a trained model share (eval, predict, pseudo-label): the model,
 * the runtime that runs it, test-time augmentation and the largest image they read.
 */
final class SegmenterMixin {

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "Model file, checkpoint, or run folder (its latest checkpoint, EMA weights).")
    Path checkpoint;

    @Mixin
    RuntimeMixin engine;

    @Mixin
    InferenceOptionsMixin inference;

    @Mixin
    PixelLimitMixin pixels;

    /**
     * Opens {@code --checkpoint} on the chosen runtime.
     *
     * @return the segmenter
     * @throws IOException if the checkpoint cannot be read
     */
    Segmenter open() throws IOException {
        return engine.open(checkpoint);
    }
}
