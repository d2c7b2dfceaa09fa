package org.eseg.infer.runtime;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.eseg.graph.InferenceGraph;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.export.torchscript.TorchScriptExporter;
import org.eseg.util.LibtorchThreads;
import org.eseg.util.NoGrad;

/**
 * The fast DJL path: the compiled graph (BatchNorm folded, fusion weights as constants) exported as
 * TorchScript and loaded by DJL's PyTorch engine, exactly as a user would load an exported
 * {@code model.pt}. libtorch then runs the whole forward natively, in channels-last memory order, with
 * fused SiLU and in-place steps; one JNI call per image instead of one per op.
 */
public final class DjlRuntime implements SegmentationRuntime {

    private final Model model;
    private final Block block;

    private DjlRuntime(Model model) {
        this.model = model;
        this.block = model.getBlock();
    }

    /**
     * Exports a compiled graph as TorchScript and loads it.
     *
     * @param graph the graph from {@link ModelCompiler}
     * @param options threads (libtorch's thread count is process-wide)
     */
    public DjlRuntime(InferenceGraph graph, RuntimeOptions options) {
        this(load(graph.name(), new ByteArrayInputStream(TorchScriptExporter.export(graph)), options,
                "the generated TorchScript of " + graph.name()));
    }

    /**
     * Loads a TorchScript file (as written by {@code eseg export --format torchscript}).
     *
     * @param file a .pt file
     * @param options threads
     * @return the runtime
     * @throws IOException if the file is missing or libtorch cannot load it, naming it
     */
    public static DjlRuntime open(Path file, RuntimeOptions options) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "TorchScript file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new DjlRuntime(load(file.getFileName().toString(), in, options, file.toString()));
        } catch (IllegalStateException e) {
            throw new IOException(file + ": not a TorchScript model libtorch can load (" + rootMessage(e) + ")", e);
        }
    }

    private static Model load(String name, InputStream in, RuntimeOptions options, String what) {
        setLibtorchThreads(options);
        Model model = Model.newInstance(name, "PyTorch");
        try {
            // The weights were written on the CPU: map them to the model's device (a GPU when DJL has one).
            model.load(in, Map.of("mapLocation", "true"));
            return model;
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException(e);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("libtorch rejected " + what + ": " + rootMessage(e), e);
        }
    }

    /** Sets libtorch's process-wide intra-op thread count (the engine's default when the options name none). */
    static void setLibtorchThreads(RuntimeOptions options) {
        LibtorchThreads.set(options.threads());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.DJL;
    }

    @Override
    public FloatTensor logits(FloatTensor images) {
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDArray y = logits(call.create(images.data(), new Shape(images.shape())));
            return new FloatTensor(y.toFloatArray(), y.getShape().getShape());
        }
    }

    @Override
    public NDArray logits(NDArray images) {
        try (NoGrad g = NoGrad.enter()) {
            NDArray y = block.forward(new ParameterStore(images.getManager(), false), new NDList(images), false)
                    .singletonOrThrow();
            y.attach(images.getManager());
            return y;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
