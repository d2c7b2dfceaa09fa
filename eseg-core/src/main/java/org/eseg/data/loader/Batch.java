package org.eseg.data.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A batch on the Java heap: normalised images (N, 3, H, W) and train-id labels (N, H, W) with 255 = ignore.
 *
 * @param size N
 * @param height H
 * @param width W
 * @param images normalised CHW planes of each sample, back to back
 * @param labels unsigned label bytes of each sample, back to back
 * @param ids the samples' ids in batch order
 * @param pseudoLabelled how many of the last samples come from the second (pseudo-labelled) source
 * @param position the loader position this batch was produced at
 */
public record Batch(int size, int height, int width, float[] images, byte[] labels, List<String> ids,
        int pseudoLabelled, LoaderState position) {

    /**
     * The images as a float32 (N, 3, H, W) array owned by {@code manager}.
     *
     * @param manager the caller's manager
     * @return the array
     */
    public NDArray imagesArray(NDManager manager) {
        return manager.create(images, new Shape(size, 3, height, width));
    }

    /**
     * The labels as an int64 (N, H, W) array owned by {@code manager}.
     *
     * @param manager the caller's manager
     * @return the array
     */
    public NDArray labelsArray(NDManager manager) {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i] & 0xFF;
        }
        return manager.create(l, new Shape(size, height, width));
    }

    /**
     * Both arrays: images then labels.
     *
     * @param manager the caller's manager; closing it frees the arrays
     * @return (images, labels)
     */
    public NDList toNDList(NDManager manager) {
        return new NDList(imagesArray(manager), labelsArray(manager));
    }
}
