package org.eseg.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.Segmenter;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.train.checkpoint.Checkpoint;

/**
 * What a task needs to open the model and segment an image, sent from the driver to the executors: the model file
 * (a path every executor can read), the runtime, the intra-op threads per task and the test-time augmentation.
 *
 * @param checkpoint model file, checkpoint or run folder
 * @param runtime runtime name ({@link RuntimeKind#parse})
 * @param threads intra-op threads per task, or 0 for the task's cores ({@code spark.task.cpus})
 * @param scales test-time scales
 * @param flip test-time flip
 */
record ModelSpec(String checkpoint, String runtime, int threads, List<Double> scales, boolean flip)
        implements Serializable {

    ModelSpec {
        scales = List.copyOf(scales);
        RuntimeKind.parse(runtime);
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be at least 0, got " + threads);
        }
    }

    /**
     * The inference options.
     *
     * @return scales and flip, whole images
     */
    InferenceOptions options() {
        return new InferenceOptions(scales, flip, null);
    }

    /**
     * The runtime.
     *
     * @return its kind
     */
    RuntimeKind kind() {
        return RuntimeKind.parse(runtime);
    }

    /**
     * Opens the model on its runtime.
     *
     * @param taskThreads the threads of one task when {@link #threads} is 0
     * @return the segmenter
     * @throws IOException if the model cannot be read
     */
    Segmenter open(int taskThreads) throws IOException {
        return Segmenter.load(Checkpoint.resolve(Path.of(checkpoint)), kind(),
                RuntimeOptions.DEFAULT.withThreads(threads(taskThreads)));
    }

    /**
     * The intra-op threads of one task.
     *
     * @param taskThreads the task's cores
     * @return {@link #threads}, or the task's cores when it is 0
     */
    int threads(int taskThreads) {
        return threads > 0 ? threads : Math.max(1, taskThreads);
    }
}
