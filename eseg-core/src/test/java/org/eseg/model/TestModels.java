package org.eseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** Helpers shared by the model tests. */
final class TestModels {

    private TestModels() {}

    /** Builds and initialises a model at (1, 3, h, w). */
    static EsegModel init(EsegConfig config, NDManager manager, long h, long w) {
        EsegModel model = EsegModel.create(config);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, h, w));
        return model;
    }

    /** An inference-mode forward pass. */
    static NDArray infer(EsegModel model, NDArray image) {
        // No autograd graph for inference: parameters require gradients, and grad mode is per thread.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        ParameterStore ps = new ParameterStore(image.getManager(), false);
        return model.forward(ps, new NDList(image), false).singletonOrThrow();
    }

    /** A deterministic image in [-2, 2]. */
    static NDArray image(NDManager manager, long n, long h, long w) {
        NDArray idx = manager.arange((float) (n * 3 * h * w)).reshape(n, 3, h, w);
        return idx.mul(0.37f).sin().mul(2f);
    }
}
