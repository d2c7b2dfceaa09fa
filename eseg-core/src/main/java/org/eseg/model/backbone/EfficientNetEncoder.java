package org.eseg.model.backbone;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.NamedSequential;

/**
 * The EfficientNet encoder, built from {@link StageSpec#EFFICIENTNET_B0} scaled by a
 * {@link BackboneConfig}. It returns the feature taps P1..Pk: P_i is the output of the last stage at
 * stride 2^i (for B0: stages 1, 2, 3, 5 and 7 with 16, 24, 40, 112, 320 channels).
 *
 * <p>With an output stride of 16 (DeepLab's "atrous" encoder, docs/design.md section 7) the stages past
 * stride 16 keep that stride and dilate their spatial convolutions by 2 instead (the first block of the
 * stage keeps the previous dilation, as torchvision and timm do); P5 then has stride 16.
 *
 * <p>Shape: (N, 3, H, W) → [P1 (N, c1, ceil(H/2), ceil(W/2)), ..., Pk]. Children: {@code stem},
 * {@code stage1} .. {@code stageN}, each holding blocks {@code b0}, {@code b1}, ...
 */
public final class EfficientNetEncoder extends AbstractBlock implements Encoder {

    private static final byte VERSION = 1;

    /** The deepest level an EfficientNet produces. */
    public static final int MAX_ENCODER_LEVEL = 5;

    private final BackboneConfig config;
    private final ConvBnAct stem;
    private final List<NamedSequential> stages = new ArrayList<>();
    /** For each built stage, the tap it produces or null. */
    private final List<FeatureTap> stageTaps = new ArrayList<>();
    private final List<FeatureTap> taps = new ArrayList<>();

    /**
     * Builds the encoder up to the stage producing level {@code min(lastLevel, 5)}.
     *
     * @param config backbone configuration
     * @param bn BatchNorm settings
     * @param lastLevel the deepest level the model needs (stages past it are not built)
     */
    public EfficientNetEncoder(BackboneConfig config, BatchNormSpec bn, int lastLevel) {
        this(config, bn, lastLevel, Encoder.FULL_STRIDE);
    }

    /**
     * Builds the encoder with a given output stride.
     *
     * @param config backbone configuration
     * @param bn BatchNorm settings
     * @param lastLevel the deepest level the model needs (stages past it are not built)
     * @param outputStride 32 (plain) or 16 (the last stride-2 stage dilated instead)
     */
    public EfficientNetEncoder(BackboneConfig config, BatchNormSpec bn, int lastLevel, int outputStride) {
        super(VERSION);
        Encoder.checkOutputStride(outputStride);
        this.config = config;
        int stopLevel = Math.min(lastLevel, MAX_ENCODER_LEVEL);
        Scaling scaling = config.scaling();
        List<StageSpec> table = StageSpec.EFFICIENTNET_B0;

        int inChannels = scaling.roundFilters(StageSpec.STEM_CHANNELS);
        stem = addChildBlock("stem", ConvBnAct.builder()
                .setOutChannels(inChannels)
                .optKernel(3)
                .optStride(2)
                .optAct(config.act())
                .optBatchNorm(bn)
                .build());

        int totalBlocks = table.stream().mapToInt(s -> scaling.roundRepeats(s.repeats())).sum();
        int blockIndex = 0;
        int level = 1; // after the stride-2 stem
        AtrousSchedule atrous = new AtrousSchedule(2, outputStride);
        for (int i = 0; i < table.size() && (taps.isEmpty() || last(taps).level() < stopLevel); i++) {
            StageSpec spec = table.get(i);
            int out = scaling.roundFilters(spec.outChannels());
            NamedSequential stage = new NamedSequential();
            AtrousSchedule.Stage geometry = atrous.next(spec.stride());
            for (int j = 0; j < scaling.roundRepeats(spec.repeats()); j++) {
                int squeeze = config.seRatio() > 0
                        ? Math.max(1, (int) (inChannels * config.seRatio())) : 0;
                BlockArgs args = new BlockArgs(
                        inChannels, out, spec.kernel(), j == 0 ? geometry.stride() : 1,
                        j == 0 ? geometry.firstDilation() : geometry.dilation(), spec.expand(),
                        squeeze, config.act(), config.dropPathRate() * blockIndex / totalBlocks,
                        blockIndex, bn);
                stage.add("b" + j, config.block() == BlockKind.MBCONV
                        ? new MBConv(args) : new FusedMBConv(args));
                inChannels = out;
                blockIndex++;
            }
            if (spec.stride() == 2) {
                level++;
            }
            stages.add(addChildBlock("stage" + (i + 1), stage));
            boolean lastStage = i == table.size() - 1;
            boolean tap = lastStage || table.get(i + 1).stride() == 2;
            FeatureTap t = tap ? new FeatureTap(level, out, i + 1) : null;
            stageTaps.add(t);
            if (t != null) {
                taps.add(t);
            }
        }
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    /**
     * The configuration this encoder was built from.
     *
     * @return backbone configuration
     */
    public BackboneConfig config() {
        return config;
    }

    @Override
    public List<FeatureTap> taps() {
        return Collections.unmodifiableList(taps);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = stem.forward(ps, inputs, training, params);
        NDList out = new NDList(taps.size());
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(ps, x, training, params);
            if (stageTaps.get(i) != null) {
                out.add(x.singletonOrThrow());
            }
        }
        return out;
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int[] x = stem.compile(g, inputs);
        int[] out = new int[taps.size()];
        int tap = 0;
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).compile(g, x);
            if (stageTaps.get(i) != null) {
                out[tap++] = x[0];
            }
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = stem.getOutputShapes(inputShapes);
        List<Shape> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            s = stages.get(i).getOutputShapes(s);
            if (stageTaps.get(i) != null) {
                out.add(s[0]);
            }
        }
        return out.toArray(new Shape[0]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        Shape[] s = stem.getOutputShapes(inputShapes);
        for (Block stage : stages) {
            stage.initialize(manager, dataType, s);
            s = stage.getOutputShapes(s);
        }
    }
}
