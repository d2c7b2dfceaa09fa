package org.eseg.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.Resize;
import org.eseg.model.layers.SeparableConvBnAct;

/**
 * The DeepLabV3+ decoder (Chen et al. 2018) of the paper's Table 8 ablation, pinned in docs/design.md
 * section 7: {@link Aspp} on the deepest input, upsampled bilinearly to the stride-4 input, concatenated with
 * that input projected to 48 channels (1×1, BN, activation), then the first separable 3×3 refining
 * convolution (W + 48 → W). The second refining convolution and the classifier are the model's prediction
 * head, so that this decoder, like the BiFPN, ends in maps of the decoder width.
 *
 * <p>Shape: [P2 (N, c2, h2, w2), ..., P5 (N, c5, h5, w5)] → [(N, W, h2, w2)]. Children: {@code aspp},
 * {@code low_level}, {@code refine}.
 */
public final class DeepLabV3PlusDecoder extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;
    /** Channels of the projected stride-4 feature (DeepLabV3+ paper, section 4.1). */
    public static final int LOW_LEVEL_CHANNELS = 48;

    private final Aspp aspp;
    private final ConvBnAct lowLevel;
    private final SeparableConvBnAct refine;
    private final int width;

    /**
     * Creates the decoder.
     *
     * @param inChannels channels of each input level, P2 first
     * @param width W: channels of the ASPP and of the refining convolutions
     * @param rates the three atrous rates of the ASPP
     * @param act activation
     * @param bn BatchNorm settings
     */
    public DeepLabV3PlusDecoder(int[] inChannels, int width, int[] rates, Act act, BatchNormSpec bn) {
        super(VERSION);
        this.width = width;
        aspp = addChildBlock("aspp", new Aspp(inChannels[inChannels.length - 1], width, rates, act, bn));
        lowLevel = addChildBlock("low_level", ConvBnAct.builder()
                .setOutChannels(LOW_LEVEL_CHANNELS).optAct(act).optBatchNorm(bn).build());
        refine = addChildBlock("refine", new SeparableConvBnAct(width + LOW_LEVEL_CHANNELS, width, 1, act, bn));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray low = inputs.get(0);
        Shape s = low.getShape();
        NDArray context = aspp.forward(ps, new NDList(inputs.get(inputs.size() - 1)), training, params)
                .singletonOrThrow();
        NDArray projected = lowLevel.forward(ps, new NDList(low), training, params).singletonOrThrow();
        NDArray joined = NDArrays.concat(new NDList(Resize.bilinear(context, s.get(2), s.get(3)), projected), 1);
        return refine.forward(ps, new NDList(joined), training, params);
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int low = inputs[0];
        int context = g.resizeLike(g.compileOne(aspp, inputs[inputs.length - 1]), low, true);
        return new int[] {g.compileOne(refine, g.concat(context, g.compileOne(lowLevel, low)))};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), width, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape low = inputShapes[0];
        aspp.initialize(manager, dataType, inputShapes[inputShapes.length - 1]);
        lowLevel.initialize(manager, dataType, low);
        refine.initialize(manager, dataType,
                new Shape(low.get(0), width + LOW_LEVEL_CHANNELS, low.get(2), low.get(3)));
    }
}
