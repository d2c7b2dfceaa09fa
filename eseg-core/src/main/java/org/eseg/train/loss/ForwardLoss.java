package org.eseg.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The forward pass of a training step and its loss, with the forward's maps released before the backward pass.
 *
 * <p>libtorch's autograd holds the maps the backward pass needs and frees each one as the backward pass leaves it
 * behind, as in PyTorch. A Java handle on a map keeps it alive regardless, so a step whose manager held every map
 * until the step ended kept all of them through the backward pass, with the gradient maps piling up on top (ESeg-S
 * 256x512 batch 4: some 400 MiB of a 3.4 GiB peak; docs/performance.md, "2026-12-03: training memory (released
 * maps)").
 */
public final class ForwardLoss {

    private ForwardLoss() {}

    /**
     * Runs the model in training mode on a batch and returns its loss; every map computed on the way is closed
     * before this returns (autograd keeps what the backward pass needs).
     *
     * @param model the network
     * @param loss the loss
     * @param ps parameter store of the step
     * @param images (N, 3, H, W); its manager (the step's) gets them back, and owns the loss
     * @param labels (N, H, W)
     * @param params forward parameters (e.g. the drop-path seed)
     * @return the scalar loss, owned by the images' manager: the caller runs the backward pass on it, then closes it
     */
    public static NDArray compute(Block model, SegmentationLoss loss, ParameterStore ps, NDArray images,
            NDArray labels, PairList<String, Object> params) {
        NDManager step = images.getManager();
        try (NDManager forward = step.newSubManager()) {
            images.tempAttach(forward);
            labels.tempAttach(forward);
            NDArray logits = model.forward(ps, new NDList(images), true, params).head();
            NDArray l = loss.compute(logits, labels);
            l.attach(step);
            return l;
        }
    }
}
