package org.eseg.infer.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.eseg.infer.Segmenter;

/**
 * Something that turns a batch of normalised images into per-pixel logits: the contract that
 * benchmarking, prediction and evaluation use, whatever engine runs the network.
 * The built-in runtimes may be called from several threads at once (the weights are only read; a
 * {@link Segmenter} relies on it).
 */
public interface SegmentationRuntime extends AutoCloseable {

    /**
     * What runs the network.
     *
     * @return the runtime kind
     */
    RuntimeKind kind();

    /**
     * Computes logits.
     *
     * @param images (N, 3, H, W) normalised RGB
     * @return (N, classes, H, W) logits
     */
    FloatTensor logits(FloatTensor images);

    /**
     * Computes logits for an array; engines that take DJL arrays directly skip the copies.
     *
     * @param images (N, 3, H, W) normalised RGB
     * @return (N, classes, H, W) logits, owned by the images' manager
     */
    default NDArray logits(NDArray images) {
        FloatTensor y = logits(new FloatTensor(images.toFloatArray(), images.getShape().getShape()));
        return images.getManager().create(y.data(), new Shape(y.shape()));
    }

    /** Frees the network's native memory. */
    @Override
    void close();
}
