package org.eseg.model.backbone;

import ai.djl.ndarray.NDArray;
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

/**
 * ResNet's bottleneck block as torchvision builds it (ResNet v1.5, the stride on the 3×3 convolution):
 * 1×1 reduce, BN, ReLU; 3×3 (stride, dilation), BN, ReLU; 1×1 expand to 4× the width, BN; plus the input,
 * projected by a 1×1 convolution and BN when the shape changes; then ReLU.
 *
 * <p>Shape: (N, C_in, H, W) → (N, 4·width, ceil(H/s), ceil(W/s)). Children: {@code conv1}, {@code conv2},
 * {@code conv3}, {@code downsample} (when projecting).
 */
public final class Bottleneck extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;
    /** Output channels per width unit (torchvision's {@code Bottleneck.expansion}). */
    public static final int EXPANSION = 4;

    private final ConvBnAct conv1;
    private final ConvBnAct conv2;
    private final ConvBnAct conv3;
    private final ProjectionShortcut downsample;

    /**
     * Creates the block.
     *
     * @param inChannels input channels
     * @param width channels of the 3×3 convolution
     * @param stride stride of the 3×3 convolution (and of the projection)
     * @param dilation dilation of the 3×3 convolution
     * @param bn BatchNorm settings
     */
    public Bottleneck(int inChannels, int width, int stride, int dilation, BatchNormSpec bn) {
        super(VERSION);
        int out = width * EXPANSION;
        conv1 = addChildBlock("conv1", ConvBnAct.builder()
                .setOutChannels(width).optAct(Act.RELU).optBatchNorm(bn).build());
        conv2 = addChildBlock("conv2", ConvBnAct.builder()
                .setOutChannels(width).optKernel(3).optStride(stride).optDilation(dilation)
                .optAct(Act.RELU).optBatchNorm(bn).build());
        conv3 = addChildBlock("conv3", ConvBnAct.builder().setOutChannels(out).optBatchNorm(bn).build());
        downsample = stride != 1 || inChannels != out
                ? addChildBlock("downsample", new ProjectionShortcut(out, stride, bn))
                : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = conv3.forward(ps, conv2.forward(ps, conv1.forward(ps, inputs, training, params),
                training, params), training, params);
        NDArray identity = downsample == null
                ? inputs.singletonOrThrow()
                : downsample.forward(ps, inputs, training, params).singletonOrThrow();
        return new NDList(Act.RELU.apply(x.singletonOrThrow().add(identity)));
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int x = g.compileOne(conv3, g.compileOne(conv2, g.compileOne(conv1, inputs[0])));
        int identity = downsample == null ? inputs[0] : g.compileOne(downsample, inputs[0]);
        return new int[] {g.act(g.add(x, identity), Act.RELU.kind())};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv3.getOutputShapes(conv2.getOutputShapes(conv1.getOutputShapes(inputShapes)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] s = conv1.getOutputShapes(inputShapes);
        conv2.initialize(manager, dataType, s);
        conv3.initialize(manager, dataType, conv2.getOutputShapes(s));
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
