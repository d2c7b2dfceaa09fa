package org.eseg.model.backbone;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.NamedSequential;
import org.eseg.model.layers.Pooling;

/**
 * ResNet-50 in torchvision's layout (He et al. 2016; docs/design.md section 7): a 7×7 stride-2 stem to 64
 * channels, BN, ReLU, a 3×3 stride-2 max pool, then four stages of {@link Bottleneck} blocks (3, 4, 6, 3
 * blocks; widths 64, 128, 256, 512; outputs 256, 512, 1024, 2048 channels), the stride on the first block
 * of stages 2-4. It returns P2..P5, the outputs of the four stages.
 *
 * <p>With an output stride of 16 the last stage keeps stride 16 and dilates its 3×3 convolutions by 2 (its
 * first block keeps dilation 1), as torchvision's {@code replace_stride_with_dilation=[False, False, True]}.
 *
 * <p>Shape: (N, 3, H, W) → [P2 (N, 256, ceil(H/4), ceil(W/4)), ..., P5 (N, 2048, ...)]. Children:
 * {@code stem}, {@code layer1} .. {@code layer4}, each holding blocks {@code b0}, {@code b1}, ...
 */
public final class ResNetEncoder extends AbstractBlock implements Encoder {

    private static final byte VERSION = 1;

    /** Blocks per stage of ResNet-50. */
    public static final List<Integer> RESNET50_BLOCKS = List.of(3, 4, 6, 3);
    /** Width of the first stage (doubled in each later stage). */
    public static final int BASE_WIDTH = 64;
    /** The deepest level the encoder produces. */
    public static final int MAX_ENCODER_LEVEL = 5;

    private final ConvBnAct stem;
    private final List<NamedSequential> stages = new ArrayList<>();
    private final List<FeatureTap> taps = new ArrayList<>();

    /**
     * Builds ResNet-50 up to level {@code min(lastLevel, 5)}.
     *
     * @param bn BatchNorm settings (torchvision: eps 1e-5)
     * @param lastLevel the deepest level the model needs
     * @param outputStride 32, or 16 for the dilated last stage
     */
    public ResNetEncoder(BatchNormSpec bn, int lastLevel, int outputStride) {
        super(VERSION);
        Encoder.checkOutputStride(outputStride);
        stem = addChildBlock("stem", ConvBnAct.builder()
                .setOutChannels(BASE_WIDTH).optKernel(7).optStride(2).optAct(Act.RELU).optBatchNorm(bn).build());
        int stopLevel = Math.min(lastLevel, MAX_ENCODER_LEVEL);
        int inChannels = BASE_WIDTH;
        AtrousSchedule atrous = new AtrousSchedule(4, outputStride); // after the stem and the max pool
        for (int i = 0; i < RESNET50_BLOCKS.size() && i + 2 <= stopLevel; i++) {
            int width = BASE_WIDTH << i;
            AtrousSchedule.Stage geometry = atrous.next(i == 0 ? 1 : 2);
            NamedSequential stage = new NamedSequential();
            for (int j = 0; j < RESNET50_BLOCKS.get(i); j++) {
                stage.add("b" + j, new Bottleneck(inChannels, width, j == 0 ? geometry.stride() : 1,
                        j == 0 ? geometry.firstDilation() : geometry.dilation(), bn));
                inChannels = width * Bottleneck.EXPANSION;
            }
            stages.add(addChildBlock("layer" + (i + 1), stage));
            taps.add(new FeatureTap(i + 2, inChannels, i + 1));
        }
    }

    @Override
    public List<FeatureTap> taps() {
        return Collections.unmodifiableList(taps);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = new NDList(Pooling.max(stem.forward(ps, inputs, training, params).singletonOrThrow()));
        NDList out = new NDList(stages.size());
        for (NamedSequential stage : stages) {
            x = stage.forward(ps, x, training, params);
            out.add(x.singletonOrThrow());
        }
        return out;
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int x = g.pool(g.compileOne(stem, inputs[0]), true);
        int[] out = new int[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            x = g.compileOne(stages.get(i), x);
            out[i] = x;
        }
        return out;
    }

    private static Shape pooled(Shape s) {
        return new Shape(s.get(0), s.get(1), Pooling.outSize(s.get(2)), Pooling.outSize(s.get(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = {pooled(stem.getOutputShapes(inputShapes)[0])};
        Shape[] out = new Shape[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            s = stages.get(i).getOutputShapes(s);
            out[i] = s[0];
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        Shape[] s = {pooled(stem.getOutputShapes(inputShapes)[0])};
        for (NamedSequential stage : stages) {
            stage.initialize(manager, dataType, s);
            s = stage.getOutputShapes(s);
        }
    }
}
