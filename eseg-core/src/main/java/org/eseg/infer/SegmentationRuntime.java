package org.eseg.infer;

/**
 * Something that turns a batch of normalised images into per-pixel logits: the contract that
 * benchmarking, prediction and evaluation use, whatever engine runs the network.
 * Implementations are not thread-safe; open one per thread.
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

    /** Frees the network's native memory. */
    @Override
    void close();
}
