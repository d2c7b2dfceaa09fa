package org.eseg.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eseg.infer.Segmenter;
import org.eseg.util.LibtorchThreads;

/**
 * The models open in this JVM, one per {@link ModelSpec} and task thread count: an executor loads a model once and
 * all its tasks share it (a {@link Segmenter} serves any number of threads).
 */
final class ExecutorModels {

    private record Key(ModelSpec spec, int threads) {}

    private static final Map<Key, Segmenter> OPEN = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * The segmenter for the calling task, opened on first use. The calling thread's libtorch intra-op thread
     * count is set too (libtorch keeps it per thread), through {@link LibtorchThreads}, which never sets
     * more than this processor computes right with.
     *
     * @param spec the model
     * @param taskCpus the cores of the calling task ({@code TaskContext.cpus()})
     * @return the shared segmenter
     */
    static Segmenter forTask(ModelSpec spec, int taskCpus) {
        int threads = spec.threads(taskCpus);
        Segmenter s = OPEN.computeIfAbsent(new Key(spec, threads), k -> {
            try {
                // Building the ONNX Runtime session needs a large stack too (the driver's 1 MB crashed the JVM).
                return LargeStack.call(() -> spec.open(threads));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the model " + spec.checkpoint() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot open the model " + spec.checkpoint() + ": " + e, e);
            }
        });
        // Every runtime resizes, averages and soft-maxes on libtorch, so its thread count is set for all of them.
        LibtorchThreads.set(threads);
        return s;
    }

    /** Closes every model of this JVM (the embedded driver does so when its job is over). */
    static void closeAll() {
        OPEN.values().forEach(Segmenter::close);
        OPEN.clear();
    }
}
