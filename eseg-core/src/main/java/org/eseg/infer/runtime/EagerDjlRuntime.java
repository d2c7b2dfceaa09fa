package org.eseg.infer.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import org.eseg.model.EsegModel;

/**
 * The model's own block forward on DJL in inference mode (autograd off, nothing folded): the baseline
 * the compiled paths are measured against.
 */
public final class EagerDjlRuntime implements SegmentationRuntime {

    private final EsegModel model;
    private final NDManager manager;

    /**
     * Wraps a model.
     *
     * @param model an initialised model (not closed by this runtime)
     * @param options threads
     */
    public EagerDjlRuntime(EsegModel model, RuntimeOptions options) {
        DjlRuntime.setLibtorchThreads(options);
        this.model = model;
        this.manager = NDManager.newBaseManager();
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.DJL_EAGER;
    }

    @Override
    public FloatTensor logits(FloatTensor images) {
        JniUtils.setGradMode(false);
        // Every intermediate of the block forward belongs to this call's manager and dies with it.
        try (NDManager call = manager.newSubManager()) {
            NDArray x = call.create(images.data(), new Shape(images.shape()));
            NDArray y = model.forward(new ParameterStore(call, false), new NDList(x), false).singletonOrThrow();
            return new FloatTensor(y.toFloatArray(), y.getShape().getShape());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
