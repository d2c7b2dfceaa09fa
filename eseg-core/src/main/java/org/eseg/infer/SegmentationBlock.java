package org.eseg.infer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.model.EsegModel;

/**
 * An ESeg network as a DJL block for inference: (N, 3, H, W) normalised images in, (N, C, H, W) class
 * probabilities out, with the test-time augmentation and window mode of {@link InferenceOptions} and autograd off
 * (DJL's {@code Predictor} does not turn it off). Set it as the block of a DJL {@code Model} and predict through
 * a {@link SegmenterTranslator}:
 *
 * <pre>{@code
 * Model model = Model.newInstance("eseg", "PyTorch");
 * model.setBlock(new SegmentationBlock(esegModel, InferenceOptions.DEFAULT));
 * Predictor<Image, Segmentation> predictor = model.newPredictor(new SegmenterTranslator());
 * }</pre>
 */
public final class SegmentationBlock extends AbstractBlock {

    private final EsegModel model;
    private final InferenceOptions options;

    /**
     * Wraps an initialised model.
     *
     * @param model the network (its weights are shared, not copied)
     * @param options scales, flip and window
     */
    public SegmentationBlock(EsegModel model, InferenceOptions options) {
        this.model = addChildBlock("model", model);
        this.options = options;
    }

    /**
     * The inference options.
     *
     * @return the options
     */
    public InferenceOptions options() {
        return options;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(Inference.probabilities(model, inputs.head(), options));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return model.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        model.initialize(manager, dataType, inputShapes);
    }
}
