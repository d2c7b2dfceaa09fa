package org.eseg.model.complexity;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;

/**
 * Counts parameters and multiply-adds (MACs) the way papers report them: trainable parameters only, and
 * the multiply-adds of convolution and linear layers (pooling, resizing, activations and the fusion
 * weights are not counted).
 *
 * <p>The count is analytic: it reads the input shape DJL recorded on every layer when the block was
 * initialised, so a block must be initialised at the input size of interest; no forward pass is run.
 */
public final class Complexity {

    private Complexity() {}

    /**
     * Trainable parameters of a block (BatchNorm running mean/variance excluded).
     *
     * @param block an initialised block
     * @return the count
     */
    public static long params(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    /**
     * Multiply-adds of every convolution and linear layer under a block, for the input size the block
     * was initialised with.
     *
     * @param block an initialised block
     * @return the count
     */
    public static long macs(Block block) {
        if (block instanceof Convolution conv) {
            Shape in = conv.getInputShapes()[0];
            Shape out = conv.getOutputShapes(conv.getInputShapes())[0];
            long perOutput = in.get(1) / conv.getGroups() * conv.getKernelShape().size();
            return out.size() * perOutput;
        }
        if (block instanceof Linear linear) {
            Shape in = linear.getInputShapes()[0];
            Shape out = linear.getOutputShapes(linear.getInputShapes())[0];
            return out.size() * in.get(in.dimension() - 1);
        }
        long n = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            n += macs(child.getValue());
        }
        return n;
    }

    /**
     * Builds a model and measures it for one image of size height × width.
     *
     * @param config the model configuration
     * @param height input height, &gt; 0
     * @param width input width, &gt; 0
     * @return parameters and MACs, in total and per part
     */
    public static ComplexityReport measure(EsegConfig config, long height, long width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "input size must be positive, got " + height + "x" + width);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel model = EsegModel.create(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, height, width));
            Map<String, PartFigures> parts = new LinkedHashMap<>();
            for (Pair<String, Block> child : model.getChildren()) {
                Block b = child.getValue();
                if (!b.getParameters().isEmpty()) {
                    parts.put(org.eseg.model.io.ParameterNames.strip(child.getKey()), new PartFigures(params(b), macs(b)));
                }
            }
            PartFigures total = new PartFigures(params(model), macs(model));
            return new ComplexityReport(config.name(), height, width, total, parts);
        }
    }
}
