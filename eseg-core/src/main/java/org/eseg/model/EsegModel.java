package org.eseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.List;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.backbone.Encoder;
import org.eseg.model.backbone.ExtraLevels;
import org.eseg.model.backbone.FeatureTap;
import org.eseg.model.decoder.DecoderKind;
import org.eseg.model.head.SegmentationHead;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.ConvInit;
import org.eseg.model.layers.Resize;
import org.eseg.util.Tensors;

/**
 * The ESeg network (Meng et al. 2022, Figure 3): EfficientNet encoder → P1..P5, extra levels P6..P9 by
 * average pooling, a BiFPN (or FPN) decoder over P_min..P_max, softmax-weighted fusion at the base level,
 * a prediction head, and bilinear upsampling of the logits to the input size. The Table 8 ablations swap
 * the encoder (ResNet-50) and the decoder (DeepLabV3+, which returns one map at P2 for the head).
 *
 * <p>Shape: (N, 3, H, W) normalised RGB → (N, classes, H, W) logits. Children: {@code backbone},
 * {@code extra}, {@code decoder}, {@code head}. Build with {@link #create(EsegConfig)}, then
 * {@code initialize(manager, DataType.FLOAT32, new Shape(1, 3, H, W))}.
 */
public final class EsegModel extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final EsegConfig config;
    private final Encoder backbone;
    private final ExtraLevels extra;
    private final Block decoder;
    private final SegmentationHead head;

    private EsegModel(EsegConfig config) {
        super(VERSION);
        this.config = config;
        Act act = config.backbone().act();
        DecoderKind kind = config.decoder().kind();
        backbone = addChildBlock("backbone", config.backbone()
                .build(config.batchNorm(), config.maxLevel(), kind.outputStride()));
        extra = addChildBlock("extra",
                new ExtraLevels(backbone.taps().get(0).level(), config.minLevel(), config.maxLevel()));
        decoder = addChildBlock("decoder", kind.build(config.minLevel(), levelChannels(backbone, config),
                config.decoder(), act, config.batchNorm()));
        head = addChildBlock("head", new SegmentationHead(kind.outputs(config.levels()), config.decoder().width(),
                config.numClasses(), act, config.batchNorm()));
        // A placeholder draw that initialize() replaces with ConvInit's group-aware He-normal; BN, biases
        // and fusion weights keep their own initialisers.
        setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
                Parameter.Type.WEIGHT);
    }

    /** The channels of levels min..max: the encoder's taps, and P5's channels for the pooled P6..P9. */
    private static int[] levelChannels(Encoder encoder, EsegConfig config) {
        List<FeatureTap> taps = encoder.taps();
        int[] c = new int[config.levels()];
        for (int i = 0; i < c.length; i++) {
            int level = config.minLevel() + i;
            c[i] = level <= taps.get(taps.size() - 1).level()
                    ? encoder.channels(level) : taps.get(taps.size() - 1).channels();
        }
        return c;
    }

    /**
     * Builds an uninitialised model.
     *
     * @param config the configuration
     * @return the model
     */
    public static EsegModel create(EsegConfig config) {
        return new EsegModel(config);
    }

    /**
     * The configuration this model was built from.
     *
     * @return the configuration
     */
    public EsegConfig config() {
        return config;
    }

    /**
     * The encoder.
     *
     * @return the backbone block
     */
    public Encoder backbone() {
        return backbone;
    }

    /**
     * The parameters that depend on the class count (the head's classifier); the rest of the model carries over
     * to a model for other classes.
     *
     * @return the classifier's parameters
     */
    public List<Parameter> classifierParameters() {
        return head.classifierParameters();
    }

    /**
     * Runs encoder, extra levels and decoder.
     *
     * @param ps parameter store
     * @param image (N, 3, H, W)
     * @param training training mode
     * @param params forward parameters (e.g. the drop-path seed)
     * @return the decoder outputs for levels min..max
     */
    public NDList decode(ParameterStore ps, NDArray image, boolean training, PairList<String, Object> params) {
        checkInput(image.getShape());
        NDList taps = backbone.forward(ps, new NDList(image), training, params);
        NDList levels = extra.forward(ps, taps, training, params);
        return decoder.forward(ps, levels, training, params);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.head();
        NDList features = decode(ps, image, training, params);
        NDArray logits = head.forward(ps, features, training, params).singletonOrThrow();
        Shape s = image.getShape();
        NDArray full = Resize.bilinear(logits, s.get(2), s.get(3));
        Tensors.release(logits, full);
        return new NDList(full);
    }

    /** The same chain as {@link #forwardInternal}: image id in, logits id (at the input size) out. */
    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int[] features = g.compile(decoder, extra.compile(g, backbone.compile(g, inputs)));
        int logits = head.compile(g, features)[0];
        return new int[] {g.resizeLike(logits, inputs[0], true)};
    }

    private static void checkInput(Shape s) {
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) < 1 || s.get(3) < 1) {
            throw new IllegalArgumentException("ESeg expects images of shape (N, 3, H, W), got " + s);
        }
    }

    /**
     * Initialises every parameter for inputs of the given shape; convolutions get EfficientNet's
     * He-normal fan-out draws (see {@link ConvInit}).
     *
     * @param manager owns the parameters
     * @param dataType their type
     * @param inputShapes one shape (N, 3, H, W)
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        ConvInit.heNormalFanOut(this);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), config.numClasses(), in.get(2), in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] taps = backbone.getOutputShapes(inputShapes);
        extra.initialize(manager, dataType, taps);
        Shape[] levels = extra.getOutputShapes(taps);
        decoder.initialize(manager, dataType, levels);
        head.initialize(manager, dataType, decoder.getOutputShapes(levels));
    }
}
