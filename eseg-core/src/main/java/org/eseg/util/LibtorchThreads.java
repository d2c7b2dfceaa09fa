package org.eseg.util;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets libtorch's process-wide intra-op thread count, after checking once that its multi-threaded kernels
 * compute the same numbers as its single-threaded ones on this CPU.
 *
 * <p>Why the check: the oneDNN 3.7 inside libtorch 2.7.1 miscomputes on some processors when it runs on more
 * than one thread (seen on an AMD EPYC with AVX-512: 1x1 convolutions in channels-last order return wrong
 * values, and 3x3 convolutions' input gradients come back NaN, both deterministic, both correct on one
 * thread). Where the probe below differs from its one-thread result, libtorch is kept on one thread and a
 * warning says so: slower, but right. ONNX Runtime has its own kernels and is not affected.
 */
public final class LibtorchThreads {

    private static final Logger LOG = LoggerFactory.getLogger(LibtorchThreads.class);

    /** Thread counts whose probe was run, and its verdict. */
    private static final java.util.Map<Integer, Boolean> VERDICTS = new java.util.HashMap<>();

    /** Multi-threaded runs of the probe that must all agree with the single-threaded one. */
    private static final int PROBE_REPEATS = 20;

    private LibtorchThreads() {}

    /**
     * Sets libtorch's intra-op thread count.
     *
     * @param requested threads, or 0 for the engine's default (the processor count)
     * @return the count in force: {@code requested} (or the default), or 1 where more threads compute wrong
     *     results on this CPU
     */
    public static synchronized int set(int requested) {
        // The native library must be loaded before its thread count can be set.
        Engine.getEngine("PyTorch");
        int threads = requested > 0 ? requested : defaultThreads();
        if (threads > 1 && !VERDICTS.computeIfAbsent(threads, LibtorchThreads::parallelKernelsAgree)) {
            threads = 1;
        }
        JniUtils.setNumThreads(threads);
        return threads;
    }

    private static int defaultThreads() {
        Integer configured = Integer.getInteger("ai.djl.pytorch.num_threads");
        return configured != null && configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs the probe on one thread and then repeatedly on {@code threads}, and compares: the wrong results
     * are not always the same from one call to the next, so one agreeing call proves little.
     */
    private static boolean parallelKernelsAgree(int threads) {
        JniUtils.setNumThreads(1);
        float[] single = probe();
        JniUtils.setNumThreads(threads);
        double scale = 0;
        for (float v : single) {
            scale = Math.max(scale, Math.abs(v));
        }
        double diff = 0;
        for (int repeat = 0; repeat < PROBE_REPEATS && diff <= 1e-4 * Math.max(1, scale); repeat++) {
            float[] parallel = probe();
            for (int i = 0; i < single.length; i++) {
                diff = Math.max(diff,
                        Float.isFinite(parallel[i]) ? Math.abs(parallel[i] - single[i]) : Double.MAX_VALUE);
            }
        }
        boolean agree = diff <= 1e-4 * Math.max(1, scale);
        if (!agree) {
            LOG.warn("libtorch computes wrong results on {} threads on this CPU ({}): running it on 1 thread, "
                    + "which is slower; the onnx runtime is not affected", threads, cpuModel());
        }
        return agree;
    }

    private static String cpuModel() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    /**
     * The input gradient of a 3x3 convolution from 16 to 8 channels, on a small deterministic input: the
     * smallest case found to break (NaN) where multi-threaded kernels are wrong.
     */
    private static float[] probe() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(2 * 16 * 4 * 6).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .mul(0.37f).sin().reshape(new Shape(2, 16, 4, 6));
            NDArray w = m.arange(8 * 16 * 3 * 3).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .mul(0.11f).cos().reshape(new Shape(8, 16, 3, 3));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                        .singletonOrThrow();
                gc.backward(y.square().sum());
            }
            float[] out = x.getGradient().toFloatArray();
            return Arrays.copyOf(out, out.length);
        }
    }
}
