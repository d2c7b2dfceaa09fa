package org.eseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.eseg.infer.djl.CompiledNetwork;
import org.eseg.infer.graph.InferenceGraph;

/** The fast DJL path: a {@link CompiledNetwork} (folded BatchNorm, no autograd) on libtorch. */
public final class DjlRuntime implements SegmentationRuntime {

    private final NDManager manager;
    private final CompiledNetwork network;

    /**
     * Uploads a compiled graph.
     *
     * @param graph the graph from {@link ModelCompiler}
     * @param options threads (libtorch's thread count is process-wide)
     */
    public DjlRuntime(InferenceGraph graph, RuntimeOptions options) {
        if (options.threads() > 0) {
            // The native library must be loaded before its thread count can be set.
            ai.djl.engine.Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(options.threads());
        }
        manager = NDManager.newBaseManager();
        network = CompiledNetwork.load(graph, manager);
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.DJL;
    }

    @Override
    public FloatTensor logits(FloatTensor images) {
        try (NDManager call = manager.newSubManager()) {
            NDArray x = call.create(images.data(), new Shape(images.shape()));
            try (NDArray y = network.forward(x)) {
                return new FloatTensor(y.toFloatArray(), y.getShape().getShape());
            }
        }
    }

    @Override
    public void close() {
        network.close();
        manager.close();
    }
}
