package org.eseg.ablation;

import java.nio.file.Path;
import java.util.List;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.util.ImageSize;

/**
 * What an ablation run trains and measures. Every row gets the same training settings; only the model
 * differs.
 *
 * @param data dataset root
 * @param dataset dataset layout (cityscapes, ade20k, folder, ...)
 * @param out the ablation folder: one run folder per model is created in it; it must not hold earlier runs
 * @param models the variants to compare, in table order (default {@link Ablation#TABLE8})
 * @param steps optimizer steps per model
 * @param batch images per step, or null for the training default (the paper's 16)
 * @param crop training crop, or null for the training default (the paper's 512×1024)
 * @param lr initial learning rate, or null for the training default (the paper's 0.08)
 * @param emaDecay EMA decay of the weights (0: off), or null for the training default (the paper's 0.9998,
 *     which needs thousands of steps)
 * @param seed random seed, the same for every model
 * @param latencyInput the image size latency is measured at
 * @param latencyIterations timed forward passes per model (interleaved between the models)
 * @param runtime the runtime latency is measured with
 */
public record AblationOptions(
        Path data,
        String dataset,
        Path out,
        List<String> models,
        long steps,
        Integer batch,
        ImageSize crop,
        Double lr,
        Double emaDecay,
        long seed,
        ImageSize latencyInput,
        int latencyIterations,
        RuntimeKind runtime) {

    /** Checks the settings. */
    public AblationOptions {
        if (data == null || dataset == null || out == null) {
            throw new IllegalArgumentException("dataset folder, dataset kind and output folder are required");
        }
        models = List.copyOf(models == null || models.isEmpty() ? Ablation.TABLE8 : models);
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (latencyIterations < 1) {
            throw new IllegalArgumentException("latency iterations must be >= 1, got " + latencyIterations);
        }
        if (latencyInput == null || runtime == null) {
            throw new IllegalArgumentException("latency input size and runtime are required");
        }
    }
}
