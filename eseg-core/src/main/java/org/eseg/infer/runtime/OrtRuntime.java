package org.eseg.infer.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.eseg.infer.export.onnx.OnnxExporter;

/** ONNX Runtime (CPU) running an exported ESeg graph, all graph optimisations on. */
public final class OrtRuntime implements SegmentationRuntime {

    private final OrtEnvironment env;
    private final OrtSession session;
    /** The logits' channel count when the model has eseg's input and output, else -1. */
    private final long classes;
    /** Per-thread direct buffers: ONNX Runtime reads the image from and writes the logits into them. */
    private final ThreadLocal<IoBuffers> buffers = ThreadLocal.withInitial(IoBuffers::new);

    private OrtRuntime(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        try {
            this.classes = logitChannels(session);
        } catch (OrtException e) {
            session.close();
            throw e;
        }
    }

    private static long logitChannels(OrtSession session) throws OrtException {
        NodeInfo out = session.getOutputInfo().get(OnnxExporter.OUTPUT_NAME);
        if (!session.getInputNames().contains(OnnxExporter.INPUT_NAME) || out == null
                || !(out.getInfo() instanceof TensorInfo t) || t.getShape().length != 4 || t.getShape()[1] < 1) {
            return -1;
        }
        return t.getShape()[1];
    }

    /** Growable direct buffers, reused by one thread. */
    private static final class IoBuffers {
        private FloatBuffer in;
        private FloatBuffer out;

        FloatBuffer in(int n) {
            in = fit(in, n);
            return in;
        }

        FloatBuffer out(int n) {
            out = fit(out, n);
            return out;
        }

        private static FloatBuffer fit(FloatBuffer b, int n) {
            FloatBuffer f = b != null && b.capacity() >= n ? b
                    : ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            f.clear().limit(n);
            return f;
        }
    }

    /**
     * Opens an in-memory ONNX model (as written by {@link OnnxExporter}).
     *
     * @param model the ModelProto bytes
     * @param options threads
     * @return the runtime
     * @throws IllegalStateException if ONNX Runtime rejects the model
     */
    public static OrtRuntime open(byte[] model, RuntimeOptions options) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = sessionOptions(options)) {
            return new OrtRuntime(env, env.createSession(model, so));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected the exported model: " + e.getMessage(), e);
        }
    }

    /**
     * Opens an ONNX file.
     *
     * @param file an .onnx file
     * @param options threads
     * @return the runtime
     * @throws IOException if the file is missing or is not a model ONNX Runtime can load, naming it
     */
    public static OrtRuntime open(Path file, RuntimeOptions options) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "ONNX file not found");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = sessionOptions(options)) {
            return new OrtRuntime(env, env.createSession(file.toString(), so));
        } catch (OrtException e) {
            throw new IOException(file + ": not a valid ONNX model (" + e.getMessage() + ")", e);
        }
    }

    private static OrtSession.SessionOptions sessionOptions(RuntimeOptions options) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        if (options.threads() > 0) {
            so.setIntraOpNumThreads(options.threads());
        }
        // ONNX Runtime's memory pattern pre-plans one block for every intermediate of a run. Without it the
        // arena still reuses freed chunks: ESeg-S 1024x2048 peaked at 942 instead of 1486 MiB at the same
        // speed (1622 vs 1699 ms; 512x1024: 364-376 vs 363-406 ms, alternating runs on the shared box).
        so.setMemoryPatternOptimization(false);
        if (options.lowMemory()) {
            // No arena either: lower still (710 MiB at 1024x2048) but ~1.5x slower.
            so.setCPUArenaAllocator(false);
        }
        // One graph runs at a time; a second pool would only compete for the same cores.
        so.setInterOpNumThreads(1);
        if (!options.spinWait()) {
            // Spinning workers win a little on an idle machine but lose badly when other processes
            // share the cores (measured: 1157 vs 742 ms for ESeg-S 512x1024 on the shared 2-core box).
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        return so;
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.ONNX;
    }

    @Override
    public FloatTensor logits(FloatTensor images) {
        long[] s = images.shape();
        long outCount = s[0] * classes * s[2] * s[3];
        if (classes > 0 && outCount <= Integer.MAX_VALUE) {
            return pinnedLogits(images, new long[] {s[0], classes, s[2], s[3]}, (int) outCount);
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(images.data()), images.shape());
                OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT_NAME, in))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer buf = out.getFloatBuffer();
            float[] data = new float[buf.remaining()];
            buf.get(data);
            return new FloatTensor(data, out.getInfo().getShape());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs with the output bound to a direct buffer, which saves two copies of the logits (~15 ms of
     * ~330 for ESeg-S at 512x1024): ONNX Runtime writes into it and one copy makes the float array.
     */
    private FloatTensor pinnedLogits(FloatTensor images, long[] outShape, int outCount) {
        IoBuffers io = buffers.get();
        FloatBuffer in = io.in(images.data().length);
        in.put(images.data()).rewind();
        FloatBuffer out = io.out(outCount);
        try (OnnxTensor x = OnnxTensor.createTensor(env, in, images.shape());
                OnnxTensor y = OnnxTensor.createTensor(env, out, outShape);
                OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT_NAME, x),
                        Map.of(OnnxExporter.OUTPUT_NAME, y))) {
            float[] data = new float[outCount];
            out.rewind();
            out.get(data);
            return new FloatTensor(data, outShape);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
