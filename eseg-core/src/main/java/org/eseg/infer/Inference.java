package org.eseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.eseg.data.RgbImage;
import org.eseg.data.transform.Normalization;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.eseg.model.EsegModel;
import org.eseg.util.NoGrad;

/** Plain whole-image inference with a DJL model. */
public final class Inference {

    private Inference() {}

    /**
     * Logits for a batch, in inference mode.
     *
     * @param model the model
     * @param images (N, 3, H, W) normalised
     * @return (N, classes, H, W), owned by the images' manager
     */
    public static NDArray logits(EsegModel model, NDArray images) {
        // No autograd graph: parameters require gradients, and recording one is slower and holds memory.
        try (NoGrad g = NoGrad.enter()) {
            return model.forward(new ParameterStore(images.getManager(), false), new NDList(images), false).head();
        }
    }

    /**
     * An image as a normalised (1, 3, H, W) array.
     *
     * @param image RGB in [0, 255]
     * @param manager owns the array
     * @return the array
     */
    public static NDArray toInput(RgbImage image, NDManager manager) {
        return manager.create(Normalization.normalize(image), new Shape(1, 3, image.height(), image.width()));
    }
}
