package org.eseg.util;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and sets how libtorch runs on this processor: its intra-op thread count and the highest instruction
 * set its oneDNN kernels may use, checked against numbers computed in Java.
 *
 * <p>Why: the oneDNN 3.7 inside libtorch 2.7.1 computes wrong results on some processors. On an AMD EPYC with
 * AVX-512 its AVX-512 kernels return wrong 3x3-convolution input gradients even on one thread (training then
 * diverges to NaN), and on two threads also wrong 1x1 convolutions; with {@code ONEDNN_MAX_CPU_ISA=AVX2} and one
 * thread every probe is right. Both settings only take effect when they are in the environment before libtorch
 * starts, so the check runs in child JVMs (which also keeps a kernel's damage out of this one), the chosen
 * setting is kept per processor in {@code ~/.cache/eseg/libtorch-threads.properties}, and the {@code eseg}
 * launcher exports it before the real JVM starts ({@code LibtorchThreads choose N}). docs/performance.md has
 * the measurements.
 */
public final class LibtorchThreads {

    private static final Logger LOG = LoggerFactory.getLogger(LibtorchThreads.class);

    /**
     * The environment variable in which the launcher (and the test build) says which setting is in force, as
     * {@code ISA,THREADS} ({@code default} for oneDNN's own choice of instruction set).
     */
    public static final String SETTING_VARIABLE = "ESEG_LIBTORCH_SETTING";

    /** Runs of each probe that must all agree with Java: wrong results differ from one call to the next. */
    private static final int PROBE_REPEATS = 20;

    /** How long a child JVM may take; a hung kernel counts as a failed check. */
    private static final long CHECK_TIMEOUT_S = 120;

    private static final String DEFAULT_ISA = "default";

    /** The safest setting, used when no other passes. */
    private static final Setting SAFEST = new Setting("AVX2", 1);

    private static boolean warned;

    private LibtorchThreads() {}

    /**
     * How libtorch runs: oneDNN's highest instruction set ({@code default}: its own choice) and the thread count.
     *
     * @param isa a value of {@code ONEDNN_MAX_CPU_ISA}, or {@code default}
     * @param threads intra-op threads
     */
    public record Setting(String isa, int threads) {

        static Setting parse(String text) {
            String[] parts = text.strip().split(",");
            return new Setting(parts[0], Integer.parseInt(parts[1]));
        }

        @Override
        public String toString() {
            return isa + "," + threads;
        }

        /** The shell lines that put this setting in force. */
        String exports() {
            return (isa.equals(DEFAULT_ISA) ? "unset ONEDNN_MAX_CPU_ISA" : "export ONEDNN_MAX_CPU_ISA=" + isa)
                    + "\nexport OMP_NUM_THREADS=" + threads + "\nexport " + SETTING_VARIABLE + "=" + this + "\n";
        }
    }

    /**
     * Sets libtorch's intra-op thread count in the calling thread (libtorch reads it per thread), never above
     * the count that was found right on this processor.
     *
     * @param requested threads, or 0 for the processor count
     * @return the count in force
     */
    public static synchronized int set(int requested) {
        // The native library must be loaded before its thread count can be set.
        Engine.getEngine("PyTorch");
        int threads = requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
        String inForce = System.getenv(SETTING_VARIABLE);
        Setting safe = inForce != null ? Setting.parse(inForce) : choose(threads);
        // Without the launcher libtorch runs on its own defaults, which only need a word where they are wrong.
        if (inForce == null && !warned && !safe.equals(new Setting(DEFAULT_ISA, threads))) {
            warned = true;
            LOG.warn("libtorch was started without a checked setting; on this processor it computes right with "
                    + "ONEDNN_MAX_CPU_ISA={} and OMP_NUM_THREADS={} in the environment before the JVM starts "
                    + "(the eseg launcher sets them)", safe.isa(), safe.threads());
        }
        threads = Math.min(threads, safe.threads());
        JniUtils.setNumThreads(threads);
        return threads;
    }

    /**
     * The fastest setting whose kernels compute the probes right on this processor: the cached choice, or
     * checks in child JVMs of oneDNN's own instruction set on {@code threads} and on one thread, then AVX2 on one.
     *
     * @param threads the wanted thread count
     * @return the setting
     */
    public static synchronized Setting choose(int threads) {
        String key = cacheKey(threads);
        Path cache = cacheFile();
        Properties known = readCache(cache);
        String cached = known.getProperty(key);
        if (cached != null) {
            return Setting.parse(cached);
        }
        // AVX2 on several threads is not a candidate: on the processor above it passed these probes but still
        // computed a channels-last 1x1 convolution of a 1x1 map wrong, which no eager probe can reach.
        Set<Setting> candidates = new LinkedHashSet<>(List.of(new Setting(DEFAULT_ISA, threads),
                new Setting(DEFAULT_ISA, 1), SAFEST));
        Setting chosen = candidates.stream().filter(LibtorchThreads::agrees).findFirst().orElse(SAFEST);
        known.setProperty(key, chosen.toString());
        writeCache(cache, known);
        return chosen;
    }

    /**
     * Whether a child JVM started with this setting computes every probe as Java does.
     *
     * @param setting the setting to check
     * @return true when all probes agree
     */
    static boolean agrees(Setting setting) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("ai.djl.") || name.equals("DJL_CACHE_DIR") || name.equals("ENGINE_CACHE_DIR")) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        command.add(LibtorchThreads.class.getName());
        command.add("check");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(setting.threads()));
        if (setting.isa().equals(DEFAULT_ISA)) {
            pb.environment().remove("ONEDNN_MAX_CPU_ISA");
        } else {
            pb.environment().put("ONEDNN_MAX_CPU_ISA", setting.isa());
        }
        try {
            Process p = pb.start();
            if (!p.waitFor(CHECK_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("could not check libtorch in a child process: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code choose N} prints the shell lines that put the setting for N threads in force (for the
     * {@code eseg} launcher); {@code check} is a child's run of the probes under its environment, exit code 0
     * when every run of every probe agrees with Java.
     *
     * @param args {@code choose N} or {@code check}
     */
    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("choose")) {
            System.out.print(choose(Integer.parseInt(args[1])).exports());
            return;
        }
        Engine.getEngine("PyTorch");
        float[] gradient = Probes.convInputGradientInJava();
        float[] pointwise = Probes.pointwiseConvInJava();
        for (int repeat = 0; repeat < PROBE_REPEATS; repeat++) {
            if (!Probes.close(gradient, Probes.convInputGradient())
                    || !Probes.close(pointwise, Probes.pointwiseConv())) {
                System.exit(1);
            }
        }
        System.exit(0);
    }

    /** Small computations that went wrong on a processor where oneDNN's kernels do, each with its Java twin. */
    static final class Probes {

        /** The 3x3 probe: batch, input and output channels, height, width, kernel. */
        private static final int N = 2, CIN = 16, COUT = 8, H = 4, W = 6, K = 3;
        /** The 1x1 probe's input and output channels (the shape that broke: ESeg-Lite-S's widest 1x1). */
        private static final int WIDE_IN = 288, WIDE_OUT = 80;

        private Probes() {}

        static boolean close(float[] expected, float[] actual) {
            double scale = 1;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < expected.length; i++) {
                if (!(Math.abs(actual[i] - expected[i]) <= 1e-4 * scale)) {
                    return false;
                }
            }
            return true;
        }

        private static NDArray tensor(NDManager m, double[] values, Shape shape) {
            return m.create(values).toType(DataType.FLOAT32, false).reshape(shape);
        }

        private static double[] wave(int n, double step, java.util.function.DoubleUnaryOperator f) {
            return java.util.stream.IntStream.range(0, n).mapToDouble(i -> f.applyAsDouble(step * i)).toArray();
        }

        /** dL/dx of L = sum(conv3x3(x, w)^2), stride 1, padding 1, 16 to 8 channels. */
        static float[] convInputGradient() {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = tensor(m, wave(N * CIN * H * W, 0.37, Math::sin), new Shape(N, CIN, H, W));
                NDArray w = tensor(m, wave(COUT * CIN * K * K, 0.11, Math::cos), new Shape(COUT, CIN, K, K));
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                            .singletonOrThrow();
                    gc.backward(y.square().sum());
                }
                return x.getGradient().toFloatArray();
            }
        }

        static float[] convInputGradientInJava() {
            double[] x = wave(N * CIN * H * W, 0.37, Math::sin);
            double[] w = wave(COUT * CIN * K * K, 0.11, Math::cos);
            float[] g = new float[x.length];
            for (int n = 0; n < N; n++) {
                for (int o = 0; o < COUT; o++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            double[] y = {0};
                            int[] at = {n, o, i, j};
                            taps(at, (xi, wi) -> y[0] += w[wi] * x[xi]);
                            // dL/dy = 2y flows back along the same taps.
                            taps(at, (xi, wi) -> g[xi] += (float) (2 * y[0] * w[wi]));
                        }
                    }
                }
            }
            return g;
        }

        /** One term of a convolution output: an input index and a weight index. */
        private interface Tap {
            void at(int inputIndex, int weightIndex);
        }

        /** Calls {@code tap} with the input and weight index of every term of output {@code (n, o, i, j)}. */
        private static void taps(int[] at, Tap tap) {
            for (int c = 0; c < CIN; c++) {
                for (int a = 0; a < K; a++) {
                    for (int b = 0; b < K; b++) {
                        int r = at[2] + a - 1;
                        int s = at[3] + b - 1;
                        if (r >= 0 && r < H && s >= 0 && s < W) {
                            tap.at(((at[0] * CIN + c) * H + r) * W + s, ((at[1] * CIN + c) * K + a) * K + b);
                        }
                    }
                }
            }
        }

        /** A 1x1 convolution from 288 to 80 channels of a (2, 288, 1, 1) input. */
        static float[] pointwiseConv() {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = tensor(m, wave(N * WIDE_IN, 0.37, Math::sin), new Shape(N, WIDE_IN, 1, 1));
                NDArray w = tensor(m, wave(WIDE_OUT * WIDE_IN, 0.11, Math::cos), new Shape(WIDE_OUT, WIDE_IN, 1, 1));
                return Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                        .singletonOrThrow().toFloatArray();
            }
        }

        static float[] pointwiseConvInJava() {
            double[] x = wave(N * WIDE_IN, 0.37, Math::sin);
            double[] w = wave(WIDE_OUT * WIDE_IN, 0.11, Math::cos);
            float[] y = new float[N * WIDE_OUT];
            for (int n = 0; n < N; n++) {
                for (int o = 0; o < WIDE_OUT; o++) {
                    double s = 0;
                    for (int c = 0; c < WIDE_IN; c++) {
                        s += w[o * WIDE_IN + c] * x[n * WIDE_IN + c];
                    }
                    y[n * WIDE_OUT + o] = (float) s;
                }
            }
            return y;
        }
    }

    private static String cacheKey(int threads) {
        String flags = cpuInfoLine("flags");
        return (cpuModel() + "|" + Integer.toHexString(flags.hashCode()) + "|djl-"
                + Engine.class.getPackage().getImplementationVersion() + "|" + threads)
                .replaceAll("[^A-Za-z0-9|._-]", "_");
    }

    private static Path cacheFile() {
        return Path.of(System.getProperty("user.home"), ".cache", "eseg", "libtorch-threads.properties");
    }

    private static Properties readCache(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // An unreadable cache only costs a new check.
                p.clear();
            }
        }
        return p;
    }

    private static void writeCache(Path file, Properties p) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, out -> p.store(out, "libtorch settings checked by eseg (delete to check again)"));
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not write {}: {}", file, e.getMessage());
        }
    }

    private static String cpuModel() {
        String model = cpuInfoLine("model name");
        return model.isEmpty() ? System.getProperty("os.arch") : model;
    }

    private static String cpuInfoLine(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Not Linux: the architecture names the processor.
        }
        return "";
    }
}
